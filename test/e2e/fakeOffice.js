// A hand-written fake of the Office.js global for the browser tests, injected with page.addInitScript before the
// pane's bundle runs. It implements the slice of Office.js that src/office/officeApi.ts describes and records every
// call the pane makes in window.__officeCalls, so tests can assert e.g. the HTML given to displayReplyAllFormAsync.
// Configure it by defining window.__FAKE_OFFICE__ = { item, theme, partitionKey, requirements } first.
// roamingSettings persist in localStorage, so a reload keeps them as Outlook would.
(() => {
  const config = window.__FAKE_OFFICE__ || {};
  const calls = [];
  window.__officeCalls = calls;
  const record = (method, args) => calls.push({ method, args: JSON.parse(JSON.stringify(args ?? null)) });
  const ok = (value) => ({ status: "succeeded", value, error: null });
  const later = (callback, result) => callback && setTimeout(() => callback(result), 0);

  const ROAMING_KEY = "__fakeOffice.roamingSettings";
  const loadRoaming = () => {
    try {
      return JSON.parse(localStorage.getItem(ROAMING_KEY) || "{}");
    } catch {
      return {};
    }
  };
  let roamingPending = loadRoaming();

  const themeHandlers = [];
  const itemHandlers = [];
  let theme = config.theme || {
    bodyBackgroundColor: "#ffffff",
    bodyForegroundColor: "#000000",
    controlBackgroundColor: "#ffffff",
    controlForegroundColor: "#000000",
  };

  const supported = Object.assign({ Mailbox: "1.14", NestedAppAuth: null }, config.requirements || {});
  const versionAtLeast = (have, want) => {
    if (!have) return false;
    const [a1, a2 = 0] = String(have).split(".").map(Number);
    const [b1, b2 = 0] = String(want || "1.1")
      .split(".")
      .map(Number);
    return a1 > b1 || (a1 === b1 && a2 >= b2);
  };

  let item = null;
  if (config.item && config.item.mode === "read") {
    item = {
      itemType: "message",
      itemId: config.item.itemId,
      conversationId: config.item.conversationId,
      displayReplyAllFormAsync(formData, callback) {
        record("item.displayReplyAllFormAsync", [formData]);
        later(callback, ok(undefined));
      },
      displayReplyAllForm(formData) {
        record("item.displayReplyAllForm", [formData]);
      },
    };
  } else if (config.item && config.item.mode === "compose") {
    item = {
      itemType: "message",
      conversationId: config.item.conversationId || null,
      body: {
        getTypeAsync(callback) {
          record("item.body.getTypeAsync", []);
          later(callback, ok("html"));
        },
        setSelectedDataAsync(data, options, callback) {
          record("item.body.setSelectedDataAsync", [data, options]);
          later(callback, ok(undefined));
        },
      },
      subject: {
        getAsync(callback) {
          later(callback, ok(config.item.subject || ""));
        },
        setAsync(subject, callback) {
          record("item.subject.setAsync", [subject]);
          later(callback, ok(undefined));
        },
      },
      internetHeaders: {
        setAsync(headers, callback) {
          record("item.internetHeaders.setAsync", [headers]);
          later(callback, ok(undefined));
        },
      },
    };
  }

  const mailbox = {
    item,
    userProfile: {
      emailAddress:
        config.emailAddress === undefined ? "sam.rivera@northwind-sales.com" : config.emailAddress,
    },
    convertToRestId(id, version) {
      record("mailbox.convertToRestId", [id, version]);
      return id;
    },
    convertToEwsId(id, version) {
      record("mailbox.convertToEwsId", [id, version]);
      return id;
    },
    displayMessageForm(id) {
      record("mailbox.displayMessageForm", [id]);
    },
    addHandlerAsync(eventType, handler, callback) {
      record("mailbox.addHandlerAsync", [eventType]);
      if (eventType === "officeThemeChanged") themeHandlers.push(handler);
      if (eventType === "olkItemSelectedChanged") itemHandlers.push(handler);
      later(callback, ok(undefined));
    },
    removeHandlerAsync(eventType, callback) {
      record("mailbox.removeHandlerAsync", [eventType]);
      if (eventType === "officeThemeChanged") themeHandlers.length = 0;
      if (eventType === "olkItemSelectedChanged") itemHandlers.length = 0;
      later(callback, ok(undefined));
    },
  };

  const context = {
    mailbox,
    partitionKey: config.partitionKey === undefined ? "e2e-partition" : config.partitionKey,
    get officeTheme() {
      return theme;
    },
    requirements: {
      isSetSupported(name, version) {
        record("requirements.isSetSupported", [name, version]);
        return versionAtLeast(supported[name], version);
      },
    },
    roamingSettings: {
      get(name) {
        record("roamingSettings.get", [name]);
        return roamingPending[name];
      },
      set(name, value) {
        record("roamingSettings.set", [name, value]);
        roamingPending[name] = value;
      },
      remove(name) {
        record("roamingSettings.remove", [name]);
        delete roamingPending[name];
      },
      saveAsync(callback) {
        record("roamingSettings.saveAsync", []);
        localStorage.setItem(ROAMING_KEY, JSON.stringify(roamingPending));
        later(callback, ok(undefined));
      },
    },
    ui: {
      displayDialogAsync(url, options, callback) {
        record("ui.displayDialogAsync", [url, options]);
        later(callback, {
          status: "failed",
          value: null,
          error: { code: 12009, message: "Dialogs are not available in the fake host." },
        });
      },
    },
  };

  window.Office = {
    context,
    HostType: { Outlook: "Outlook" },
    CoercionType: { Html: "html", Text: "text" },
    EventType: { OfficeThemeChanged: "officeThemeChanged" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    onReady(callback) {
      record("onReady", []);
      const info = { host: "Outlook", platform: "OfficeOnline" };
      if (callback) setTimeout(() => callback(info), 0);
      return Promise.resolve(info);
    },
  };

  /** Test hooks: switch Outlook's theme, or select another message under the pinned pane, as Outlook does. */
  window.__fakeOffice = {
    setTheme(next) {
      theme = next;
      for (const handler of themeHandlers) handler({ type: "officeThemeChanged", officeTheme: next });
    },
    selectItem(next) {
      mailbox.item = { itemType: "message", itemId: next.itemId, conversationId: next.conversationId };
      for (const handler of itemHandlers) handler({ type: "olkItemSelectedChanged" });
    },
  };
})();
