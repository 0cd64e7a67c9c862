import type { OfficeLike } from "../../src/office/officeApi";
import {
  openDialogForMessage,
  partitionKeyOf,
  supportsNestedAppAuth,
  waitForOutlook,
} from "../../src/office/officeRuntime";
import { fakeOffice } from "./fakeOffice";

const withReady = (ready: () => Promise<{ host: string | null; platform: string | null }>): OfficeLike => ({
  ...fakeOffice(),
  onReady: ready,
});

describe("officeRuntime.ts", () => {
  describe("waitForOutlook", () => {
    it("should be true inside Outlook", async () => {
      expect(await waitForOutlook(fakeOffice(), 100)).toBe(true);
    });

    it.each([
      ["no office.js at all", null],
      ["office.js in a plain browser tab", withReady(() => Promise.resolve({ host: null, platform: null }))],
      ["another Office host", withReady(() => Promise.resolve({ host: "Word", platform: "PC" }))],
      ["an onReady that never answers", withReady(() => new Promise(() => {}))],
      ["an onReady that fails", withReady(() => Promise.reject(new Error("x")))],
    ])("should be false with %s", async (_name, office) => {
      expect(await waitForOutlook(office, 20)).toBe(false);
    });
  });

  describe("supportsNestedAppAuth", () => {
    it("should check the NestedAppAuth 1.1 requirement set at run time", () => {
      expect(supportsNestedAppAuth(fakeOffice({ sets: { Mailbox: "1.14", NestedAppAuth: "1.1" } }))).toBe(
        true,
      );
      expect(supportsNestedAppAuth(fakeOffice({ sets: { Mailbox: "1.14" } }))).toBe(false);
    });
  });

  describe("partitionKeyOf", () => {
    it("should give Office's partition key or null", () => {
      expect(partitionKeyOf(fakeOffice({ partitionKey: "abc" }))).toBe("abc");
      expect(partitionKeyOf(fakeOffice())).toBeNull();
    });
  });

  describe("openDialogForMessage", () => {
    const officeWithDialog = (event: { kind: "message"; message: string } | { kind: "closed" }) => {
      const opened: string[] = [];
      let closed = false;
      const office: OfficeLike = {
        ...fakeOffice(),
        context: {
          ui: {
            displayDialogAsync: (url, _options, callback) => {
              opened.push(url);
              const handlers: Record<string, (args: { message?: string; error?: number }) => void> = {};
              callback({
                status: "succeeded",
                value: {
                  addEventHandler: (type, handler) => {
                    handlers[type] = handler;
                  },
                  close: () => {
                    closed = true;
                  },
                },
              });
              if (event.kind === "message") handlers.dialogMessageReceived?.({ message: event.message });
              else handlers.dialogEventReceived?.({ error: 12006 });
            },
          },
        },
      };
      return { office, opened, isClosed: () => closed };
    };

    it("should resolve with the dialog's message and close it", async () => {
      const { office, opened, isClosed } = officeWithDialog({ kind: "message", message: "hello" });
      expect(await openDialogForMessage(office, "https://localhost:3000/auth-dialog.html")).toBe("hello");
      expect(opened).toEqual(["https://localhost:3000/auth-dialog.html"]);
      expect(isClosed()).toBe(true);
    });

    it("should reject when the user closes the dialog", async () => {
      const { office } = officeWithDialog({ kind: "closed" });
      await expect(openDialogForMessage(office, "https://x/")).rejects.toThrow(/cancelled/);
    });
  });
});
