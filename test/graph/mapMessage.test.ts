import { parseMailboxJson, MailboxFileError } from "../../src/graph/mailboxFile";
import fc from "fast-check";
import { AddressBook, mapGraphMessage, mapGraphUser, parseGraphInstant } from "../../src/graph/mapMessage";
import { graphMessage } from "../fixtures/graphMessage";

const base = () =>
  graphMessage({
    id: "m1",
    conversationId: "c1",
    subject: "Hi",
    from: "Alex Kim <Alex@Acme.com>",
    to: ["sam@n.com"],
    at: "2026-05-01T10:00:00Z",
  });

describe("mapMessage.ts", () => {
  describe("parseGraphInstant", () => {
    it.each([
      ["2026-01-22T05:16:10Z", Date.parse("2026-01-22T05:16:10Z")],
      ["2026-01-22T05:16:10.123Z", Date.parse("2026-01-22T05:16:10.123Z")],
      ["2026-01-22T05:16:10.1234567Z", Date.parse("2026-01-22T05:16:10.123Z")],
      ["2026-01-22T05:16:10+02:00", Date.parse("2026-01-22T03:16:10Z")],
      ["2026-02-28T23:59:59Z", Date.parse("2026-02-28T23:59:59Z")],
      ["2024-02-29T00:00:00Z", Date.parse("2024-02-29T00:00:00Z")],
      ["2000-02-29T00:00:00Z", Date.parse("2000-02-29T00:00:00Z")],
      ["2026-12-31T23:59:59Z", Date.parse("2026-12-31T23:59:59Z")],
      ["2026-02-30T00:00:00Z", null],
      ["2026-02-29T00:00:00Z", null],
      ["1900-02-29T00:00:00Z", null],
      ["2026-04-31T10:00:00Z", null],
      ["2026-13-01T00:00:00Z", null],
      ["2026-00-10T00:00:00Z", null],
      ["2026-01-00T00:00:00Z", null],
      ["2026-02-30T10:00:00.000Z", null],
      ["2026-02-30T10:00:00+01:00", null],
      ["2026-01-01T24:00:00Z", null],
      ["2026-01-01T10:00:00+25:00", null],
      ["2026-01-22T05:16:10", null],
      ["2026-01-22", null],
      ["2026-01-01T23:59:60Z", null],
      ["2026-01-0xT00:00:00Z", null],
      ["yesterday", null],
      ["", null],
      [42, null],
    ])("should read %p as %p", (raw, expected) => {
      expect(parseGraphInstant(raw)).toBe(expected);
    });

    it("should agree with Date.parse on every real date of Graph's own form, and refuse the impossible ones", () => {
      const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, "0")),
          two(19),
          two(39),
          two(29),
          two(69),
          two(69),
          (y, mo, d, h, mi, s) => {
            const raw = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
            const parsed = Date.parse(raw);
            // A real date reads back to the same fields; Date.parse rolls 02-30 over to March.
            const real =
              Number.isFinite(parsed) &&
              Number(y) >= 1000 &&
              new Date(parsed).toISOString().startsWith(raw.slice(0, 19));
            expect(parseGraphInstant(raw)).toBe(real ? parsed : null);
            // Every other ISO form (a fraction, an offset) is judged the same way.
            expect(parseGraphInstant(raw.replace("Z", ".500+00:00"))).toBe(real ? parsed + 500 : null);
          },
        ),
        { numRuns: 2000 },
      );
    });
  });

  describe("mapGraphMessage", () => {
    it("should give every empty recipient list one shared, frozen empty list", () => {
      const one = mapGraphMessage(base(), "inbox");
      const two = mapGraphMessage({ ...base(), id: "m2", ccRecipients: [] }, "sentitems");
      if (!("message" in one) || !("message" in two)) throw new Error("both should map");
      expect(one.message.cc).toEqual([]);
      expect(two.message.cc).toBe(one.message.cc);
      expect(two.message.bcc).toBe(one.message.cc);
      expect(Object.isFrozen(one.message.cc)).toBe(true);
    });

    it("should share one Address object per address and name among messages mapped with one AddressBook", () => {
      const book = new AddressBook();
      const mapped = [
        mapGraphMessage(base(), "inbox", book),
        mapGraphMessage({ ...base(), id: "m2" }, "inbox", book),
        mapGraphMessage(
          {
            ...base(),
            id: "m3",
            from: { emailAddress: { name: "A. Kim", address: "ALEX@acme.com" } },
            toRecipients: [{ emailAddress: { name: "", address: "alex@acme.com" } }],
          },
          "inbox",
          book,
        ),
      ].map((r) => ("message" in r ? r.message : null));
      const [one, two, three] = mapped;
      expect(two?.from).toBe(one?.from);
      expect(two?.to[0]).toBe(one?.to[0]);
      // A list of one recipient is shared whole, and frozen so no message can change another's.
      expect(two?.to).toBe(one?.to);
      expect(Object.isFrozen(one?.to)).toBe(true);
      // The same address under another display name is its own object, and keeps that name.
      expect(three?.from).toEqual({ address: "alex@acme.com", name: "A. Kim" });
      expect(three?.from).not.toBe(one?.from);
      expect(three?.to[0]).toEqual({ address: "alex@acme.com", name: "" });
      // Without a book, nothing is shared, and the result is equal all the same.
      const alone = mapGraphMessage({ ...base(), id: "m2" }, "inbox");
      expect("message" in alone && alone.message).toEqual(two);
      expect("message" in alone && alone.message.from).not.toBe(one?.from);
    });

    it("should map a Graph message, lower-casing addresses", () => {
      const result = mapGraphMessage(base(), "inbox");
      expect(result).toMatchObject({
        message: {
          id: "m1",
          conversationId: "c1",
          folder: "inbox",
          from: { address: "alex@acme.com", name: "Alex Kim" },
          to: [{ address: "sam@n.com", name: "" }],
          receivedAt: Date.parse("2026-05-01T10:00:00Z"),
          hasAttachments: false,
        },
      });
    });

    it("should read the message class from the extended property however Graph spells its id", () => {
      const raw = {
        ...base(),
        singleValueExtendedProperties: [{ id: "String 0x1A", value: "REPORT.IPM.Note.NDR" }],
      };
      expect(mapGraphMessage(raw, "inbox")).toMatchObject({
        message: { messageClass: "REPORT.IPM.Note.NDR" },
      });
    });

    it("should read Auto-Submitted from its named extended property, as the sync asks for it", () => {
      const raw = {
        ...base(),
        singleValueExtendedProperties: [
          { id: "String {00020386-0000-0000-c000-000000000046} Name auto-submitted", value: "auto-replied" },
        ],
      };
      expect(mapGraphMessage(raw, "inbox")).toMatchObject({ message: { autoSubmitted: "auto-replied" } });
    });

    it("should read the Auto-Submitted header case-insensitively", () => {
      const raw = {
        ...base(),
        internetMessageHeaders: [{ name: "auto-submitted", value: "auto-generated" }],
      };
      expect(mapGraphMessage(raw, "inbox")).toMatchObject({ message: { autoSubmitted: "auto-generated" } });
    });

    it.each([
      [
        "String {00020386-0000-0000-C000-000000000046} Name x-rekindle-technique",
        "pending-file",
        "pending-file",
      ],
      [
        "string {00020386-0000-0000-c000-000000000046} name X-Rekindle-Technique",
        " Are-You-OK ",
        "are-you-ok",
      ],
      ["String {00020386-0000-0000-C000-000000000046} Name x-rekindle-technique", "not-ours", undefined],
      ["String {00020386-0000-0000-C000-000000000046} Name x-other-tool", "nudge", undefined],
    ])("should read Rekindle's technique header from property %s = %j", (id, value, technique) => {
      const raw = { ...base(), singleValueExtendedProperties: [{ id, value }] };
      const result = mapGraphMessage(raw, "sentitems");
      if (!("message" in result)) throw new Error(result.skipped);
      expect(result.message.technique).toBe(technique);
      expect("technique" in result.message).toBe(technique !== undefined);
    });

    it("should read the technique from the internet headers too", () => {
      const raw = { ...base(), internetMessageHeaders: [{ name: "X-Rekindle-Technique", value: "nudge" }] };
      expect(mapGraphMessage(raw, "sentitems")).toMatchObject({ message: { technique: "nudge" } });
    });

    const recipient = { emailAddress: { name: "Lee", address: "lee@f.io" } };
    it.each([
      ["not an object", null],
      ["missing or invalid from", { ...base(), from: undefined }],
      ["missing or invalid from", { ...base(), from: null }],
      ["missing or invalid from", { ...base(), from: "alex@acme.com" }],
      ["missing or invalid from", { ...base(), from: { emailAddress: "alex@acme.com" } }],
      ["missing or invalid from", { ...base(), from: [recipient] }],
      ["missing or invalid toRecipients", { ...base(), toRecipients: undefined }],
      ["missing or invalid toRecipients", { ...base(), toRecipients: recipient }],
      ["missing or invalid toRecipients", { ...base(), toRecipients: [recipient, 7] }],
      ["missing or invalid toRecipients", { ...base(), toRecipients: ["lee@f.io"] }],
      ["missing or invalid ccRecipients", { ...base(), ccRecipients: null }],
      ["missing or invalid ccRecipients", { ...base(), ccRecipients: "odd" }],
      ["missing or invalid bccRecipients", { ...base(), bccRecipients: undefined }],
      ["missing or invalid bccRecipients", { ...base(), bccRecipients: {} }],
      ["invalid subject", { ...base(), subject: 42 }],
      ["invalid bodyPreview", { ...base(), bodyPreview: { text: "x" } }],
      ["invalid sentDateTime", { ...base(), sentDateTime: "2026-02-30T10:00:00Z" }],
      ["invalid receivedDateTime", { ...base(), receivedDateTime: "2026-13-01T10:00:00Z" }],
      ["missing id", { ...base(), id: undefined }],
      ["missing conversationId", { ...base(), conversationId: "" }],
      [
        "missing or invalid sentDateTime/receivedDateTime",
        { ...base(), sentDateTime: "yesterday", receivedDateTime: 5 },
      ],
    ])("should skip a message: %s", (reason, raw) => {
      expect(mapGraphMessage(raw, "inbox")).toEqual({ skipped: reason });
    });

    it("should keep a well-formed message whose addresses are unusable, with those addresses left out", () => {
      const raw = {
        ...base(),
        subject: null,
        from: { emailAddress: { address: "alex" } },
        toRecipients: [{ emailAddress: { address: "bad" } }, { emailAddress: {} }],
        ccRecipients: [],
      };
      expect(mapGraphMessage(raw, "inbox")).toMatchObject({
        message: { subject: "", from: null, to: [], cc: [] },
      });
    });

    it("should fall back to the other date when one is missing (null), not when it is impossible", () => {
      expect(mapGraphMessage({ ...base(), sentDateTime: null }, "inbox")).toMatchObject({
        message: { sentAt: Date.parse("2026-05-01T10:00:00Z") },
      });
      expect(mapGraphMessage({ ...base(), sentDateTime: "2026-02-30T10:00:00Z" }, "inbox")).toEqual({
        skipped: "invalid sentDateTime",
      });
    });
  });
});

describe("mailboxFile.ts", () => {
  describe("parseMailboxJson", () => {
    const me = { displayName: "Sam", mail: "sam@n.com", userPrincipalName: "sam@n.com" };
    it("should count skipped messages by reason", () => {
      const loaded = parseMailboxJson(
        { me, sentitems: [base(), { id: "x" }], inbox: [{}, "junk"] },
        "f.json",
      );
      expect(loaded.mailbox.messages).toHaveLength(1);
      expect(loaded.skippedTotal).toBe(3);
      expect(loaded.skipped).toEqual({ "missing conversationId": 1, "missing id": 1, "not an object": 1 });
    });

    it("should skip and count messages with broken recipients or impossible dates, not read them as empty", () => {
      const loaded = parseMailboxJson(
        {
          me,
          sentitems: [base(), { ...base(), id: "m2", toRecipients: "sam@n.com" }],
          inbox: [
            { ...base(), id: "m3", from: null },
            { ...base(), id: "m4", receivedDateTime: "2026-02-30T10:00:00Z" },
            { ...base(), id: "m5", sentDateTime: "2026-13-01T10:00:00Z" },
          ],
        },
        "f.json",
      );
      expect(loaded.mailbox.messages.map((m) => m.id)).toEqual(["m1"]);
      expect(loaded.skippedTotal).toBe(4);
      expect(loaded.skipped).toEqual({
        "missing or invalid toRecipients": 1,
        "missing or invalid from": 1,
        "invalid receivedDateTime": 1,
        "invalid sentDateTime": 1,
      });
    });

    it.each([
      [[], 'f.json: expected a JSON object with "me", "sentitems" and "inbox"'],
      [{ sentitems: [], inbox: [] }, 'f.json: "me" is missing'],
      [{ me, sentitems: {}, inbox: [] }, 'f.json: "sentitems" must be a list of Graph messages'],
      [{ me, sentitems: [] }, 'f.json: "inbox" must be a list of Graph messages'],
      [
        { me: { displayName: "x" }, sentitems: [], inbox: [] },
        'f.json: "me" has no mail, userPrincipalName or proxyAddresses',
      ],
    ])("should fail the whole file for %j", (raw, message) => {
      expect(() => parseMailboxJson(raw, "f.json")).toThrow(MailboxFileError);
      expect(() => parseMailboxJson(raw, "f.json")).toThrow(message);
    });
  });
});

describe("mapGraphUser", () => {
  it("should read my phones and company for voicemail scripts, on one line each", () => {
    const me = mapGraphUser({
      displayName: "Sam Rivera",
      mail: "sam@northwind.com",
      businessPhones: ["+44 20 7946 0321", 42],
      mobilePhone: "+44 7700\n900123",
      companyName: "Northwind\u202e Sales",
    });
    expect(me).toMatchObject({
      businessPhones: ["+44 20 7946 0321"],
      mobilePhone: "+44 7700 900123",
      companyName: "Northwind  Sales",
    });
  });

  it("should leave them out when Graph has none (null)", () => {
    const me = mapGraphUser({
      displayName: "Sam",
      mail: "sam@northwind.com",
      mobilePhone: null,
      companyName: null,
    });
    expect(me).not.toHaveProperty("mobilePhone");
    expect(me).not.toHaveProperty("companyName");
  });
});
