// A hand-written Office host for the adapter tests: implements the slice of Office.js that src/office uses and
// records every call, so tests assert what Outlook was asked to do.
import type {
  AsyncCallback,
  MailboxLike,
  MailItemLike,
  OfficeLike,
  OfficeThemeLike,
} from "../../src/office/officeApi";

export interface FakeOfficeOptions {
  readonly mode?: "read" | "compose" | "none";
  readonly sets?: Readonly<Record<string, string>>;
  readonly conversationId?: string;
  readonly bodyType?: "html" | "text";
  readonly theme?: OfficeThemeLike;
  readonly failWith?: string;
  readonly partitionKey?: string;
  readonly withoutAsyncReply?: boolean;
  /** userProfile.timeZone as Outlook gives it (a Windows zone name). */
  readonly userTimeZone?: string;
  readonly displayLanguage?: string;
  readonly withoutNewMessageForm?: boolean;
  /** Compose mode: the subject already there ("RE: Proposal"). */
  readonly subject?: string;
  /** Compose mode: internetHeaders.setAsync fails with this message (the insert itself succeeds). */
  readonly headersFailWith?: string;
}

export interface FakeOffice extends OfficeLike {
  readonly calls: { method: string; args: unknown[] }[];
  /** Compose mode: the internet headers set on the item, and its subject. */
  readonly compose: { headers: Record<string, string>; subject: string };
  readonly roamingData: Map<string, unknown>;
  roamingSaveFails: string | null;
  emitTheme(theme: OfficeThemeLike): void;
  /** Outlook selects another message (under a pinned pane): the item changes, then ItemChanged fires. */
  selectItem(conversationId: string): void;
}

const ok = <T>(value: T) => ({ status: "succeeded", value });
const versionAtLeast = (have: string, want: string): boolean => {
  const [a1 = 0, a2 = 0] = have.split(".").map(Number);
  const [b1 = 0, b2 = 0] = want.split(".").map(Number);
  return a1 !== b1 ? a1 > b1 : a2 >= b2;
};

export function fakeOffice(options: FakeOfficeOptions = {}): FakeOffice {
  const calls: { method: string; args: unknown[] }[] = [];
  const record = (method: string, ...args: unknown[]) => calls.push({ method, args });
  const sets = options.sets ?? { Mailbox: "1.14" };
  const mode = options.mode ?? "read";
  const respond = <T>(callback: AsyncCallback<T> | undefined, value: T) => {
    if (!callback) return;
    if (options.failWith)
      callback({ status: "failed", value: undefined as T, error: { message: options.failWith } });
    else callback(ok(value));
  };
  const handlers = new Map<string, (args: { officeTheme?: OfficeThemeLike }) => void>();
  const compose = { headers: {} as Record<string, string>, subject: options.subject ?? "" };

  const item: MailItemLike | null =
    mode === "read"
      ? {
          itemType: "message",
          itemId: "EWS-ID-1",
          conversationId: options.conversationId ?? "conv-open",
          ...(options.withoutAsyncReply
            ? {}
            : {
                displayReplyAllFormAsync: (formData: { htmlBody: string }, cb?: AsyncCallback<void>) => {
                  record("displayReplyAllFormAsync", formData);
                  respond(cb, undefined);
                },
              }),
          displayReplyAllForm: (formData: { htmlBody: string }) => record("displayReplyAllForm", formData),
        }
      : mode === "compose"
        ? {
            itemType: "message",
            conversationId: options.conversationId ?? null,
            body: {
              getTypeAsync: (cb: AsyncCallback<string>) => respond(cb, options.bodyType ?? "html"),
              setSelectedDataAsync: (
                data: string,
                opts: { coercionType: string },
                cb: AsyncCallback<void>,
              ) => {
                record("setSelectedDataAsync", data, opts);
                respond(cb, undefined);
              },
            },
            subject: {
              getAsync: (cb: AsyncCallback<string>) => respond(cb, compose.subject),
              setAsync: (subject: string, cb?: AsyncCallback<void>) => {
                record("subject.setAsync", subject);
                // Outlook keeps a prefix such as "RE:" in place.
                const prefix = /^\s*(re|fw|fwd)\s*:\s*/i.exec(compose.subject)?.[0] ?? "";
                if (!options.failWith) compose.subject = prefix + subject;
                respond(cb, undefined);
              },
            },
            internetHeaders: {
              setAsync: (headers: Record<string, string>, cb?: AsyncCallback<void>) => {
                record("internetHeaders.setAsync", headers);
                if (options.headersFailWith) {
                  cb?.({ status: "failed", value: undefined, error: { message: options.headersFailWith } });
                  return;
                }
                if (!options.failWith) Object.assign(compose.headers, headers);
                respond(cb, undefined);
              },
            },
          }
        : null;

  const mailbox: { -readonly [K in keyof MailboxLike]: MailboxLike[K] } = {
    item,
    ...(options.userTimeZone !== undefined ? { userProfile: { timeZone: options.userTimeZone } } : {}),
    ...(options.withoutNewMessageForm
      ? {}
      : { displayNewMessageForm: (parameters: unknown) => record("displayNewMessageForm", parameters) }),
    convertToEwsId: (id: string, version: string) => {
      record("convertToEwsId", id, version);
      return `EWS(${id})`;
    },
    convertToRestId: (id: string, version: string) => {
      record("convertToRestId", id, version);
      return `REST(${id})`;
    },
    displayMessageForm: (id: string) => record("displayMessageForm", id),
    addHandlerAsync: (eventType: string, handler: (args: { officeTheme?: OfficeThemeLike }) => void) => {
      record("addHandlerAsync", eventType);
      handlers.set(eventType, handler);
    },
    removeHandlerAsync: (eventType: string) => {
      record("removeHandlerAsync", eventType);
      handlers.delete(eventType);
    },
  };
  const roamingData = new Map<string, unknown>();
  const fake: FakeOffice = {
    calls,
    compose,
    roamingData,
    roamingSaveFails: null,
    emitTheme: (theme) => handlers.get("officeThemeChanged")?.({ officeTheme: theme }),
    selectItem: (conversationId) => {
      mailbox.item = { itemType: "message", itemId: `EWS-${conversationId}`, conversationId };
      handlers.get("olkItemSelectedChanged")?.({});
    },
    onReady: () => Promise.resolve({ host: "Outlook", platform: "PC" }),
    context: {
      partitionKey: options.partitionKey ?? null,
      officeTheme: options.theme,
      ...(options.displayLanguage !== undefined ? { displayLanguage: options.displayLanguage } : {}),
      requirements: {
        isSetSupported: (name: string, version = "1.1") =>
          sets[name] ? versionAtLeast(sets[name], version) : false,
      },
      roamingSettings: {
        get: (name: string) => roamingData.get(name),
        set: (name: string, value: unknown) => {
          record("roamingSettings.set", name);
          roamingData.set(name, JSON.parse(JSON.stringify(value)));
        },
        saveAsync: (cb?: AsyncCallback<void>) => {
          record("roamingSettings.saveAsync");
          if (fake.roamingSaveFails)
            cb?.({ status: "failed", value: undefined, error: { message: fake.roamingSaveFails } });
          else cb?.(ok(undefined));
        },
      },
      mailbox,
    },
  };
  return fake;
}
