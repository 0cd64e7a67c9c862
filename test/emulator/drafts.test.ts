// The emulator's draft endpoints and $batch sequencing, as Graph documents them (see the comments in
// graphEmulator.ts for the pages each rule comes from).
import { TECHNIQUE_PROPERTY } from "../../src/graph/mapMessage";
import { graphMessage } from "../fixtures/graphMessage";
import { type EmulatorFaults, type RunningEmulator, startGraphEmulator } from "./graphEmulator";

const ME = "Sam Rivera <sam.rivera@northwind-sales.com>";
const NOW = Date.parse("2026-06-01T12:00:00Z");
let emulator: RunningEmulator;

async function start(faults: EmulatorFaults = {}): Promise<RunningEmulator> {
  emulator = await startGraphEmulator({
    clock: () => NOW,
    faults: { retryAfterSeconds: 2, ...faults },
    mailbox: {
      me: { displayName: "Sam Rivera", mail: "sam.rivera@northwind-sales.com" },
      sentitems: Array.from({ length: 25 }, (_, i) =>
        graphMessage({
          id: `sent-${i}`,
          conversationId: `conv-${i}`,
          subject: `Proposal ${i}`,
          from: ME,
          to: [`Dana ${i} <dana${i}@acme.com>`],
          cc: ["Kim Park <kim@acme.com>"],
          at: "2026-05-01T10:00:00Z",
        }),
      ),
      inbox: [
        graphMessage({
          id: "in-1",
          conversationId: "conv-1",
          subject: "RE: Proposal 1",
          from: "Dana 1 <dana1@acme.com>",
          to: [ME],
          at: "2026-04-30T10:00:00Z",
          headers: { "x-rekindle-technique": "nudge" },
        }),
      ],
    },
  });
  return emulator;
}
afterEach(async () => emulator?.close());

/** The parts of Graph's answers these tests read. */
interface Answer {
  id: string;
  isDraft: boolean;
  subject: string;
  webLink: string;
  body: { content: string };
  value: unknown[];
  singleValueExtendedProperties: unknown[];
  error: { code: string };
  responses: {
    status: number;
    headers: Record<string, string>;
    body: { error: { code: string } };
  }[];
}

async function call(path: string, method = "GET", body?: unknown): Promise<{ status: number; json: Answer }> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${emulator.token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Answer };
}

const marker = (value: string) => [{ id: TECHNIQUE_PROPERTY, value }];
const expandMarker = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${TECHNIQUE_PROPERTY}')`)}`;

describe("graphEmulator.ts drafts", () => {
  it("should create a reply-all draft in Drafts, in the conversation, with the subject and marker given, above the quoted thread", async () => {
    await start();
    const created = await call("/me/messages/sent-3/createReplyAll", "POST", {
      comment: "<p>Shall I file this?</p>",
      message: {
        subject: "SHOULD I CLOSE THE FILE???",
        singleValueExtendedProperties: marker("pending-file"),
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      isDraft: true,
      conversationId: "conv-3",
      subject: "SHOULD I CLOSE THE FILE???",
      parentFolderId: emulator.folderId("drafts"),
    });
    expect(created.json.webLink).toMatch(/^https:\/\/outlook\.office\.com\/mail\/drafts\//);
    const content = created.json.body.content as string;
    expect(content.indexOf("Shall I file this?")).toBeLessThan(content.indexOf("<hr>"));
    expect(emulator.folderMessages("sentitems")).toHaveLength(25);
    // Read back as the named property, and found by conversation in Drafts.
    const listed = await call(
      `/me/mailFolders/drafts/messages?$filter=${encodeURIComponent("conversationId eq 'conv-3'")}&$select=id,isDraft&${expandMarker}`,
    );
    expect(listed.json.value).toEqual([
      expect.objectContaining({
        id: created.json.id,
        isDraft: true,
        singleValueExtendedProperties: [{ id: TECHNIQUE_PROPERTY, value: "pending-file" }],
      }),
    ]);
    const other = await call(
      `/me/mailFolders/drafts/messages?$filter=${encodeURIComponent("conversationId eq 'conv-4'")}`,
    );
    expect(other.json.value).toEqual([]);
  });

  it("should read an x-rekindle-technique internet header back as its named property", async () => {
    await start();
    const got = await call(`/me/messages/in-1?$select=id&${expandMarker}`);
    expect(got.json.singleValueExtendedProperties).toEqual([{ id: TECHNIQUE_PROPERTY, value: "nudge" }]);
  });

  it.each([
    [
      "internetMessageHeaders on a reply",
      { message: { internetMessageHeaders: [{ name: "x-a", value: "b" }] } },
    ],
    [
      "a comment and a body",
      { comment: "<p>a</p>", message: { body: { contentType: "html", content: "b" } } },
    ],
    ["a read-only property", { message: { isDraft: false } }],
  ])("should refuse createReplyAll with %s", async (_what, body) => {
    await start();
    const res = await call("/me/messages/sent-1/createReplyAll", "POST", body);
    expect(res.status).toBe(400);
    expect(emulator.drafts()).toHaveLength(0);
  });

  it("should PATCH a draft's subject, body and extended properties, and refuse them on a sent message or headers at all", async () => {
    await start();
    const draft = (await call("/me/messages/sent-1/createReplyAll", "POST", { comment: "x" })).json;
    const ok = await call(`/me/messages/${draft.id}`, "PATCH", {
      subject: "New subject",
      singleValueExtendedProperties: marker("pending-file"),
    });
    expect(ok.status).toBe(200);
    await call(`/me/messages/${draft.id}`, "PATCH", {
      singleValueExtendedProperties: [
        { id: "String {00020329-0000-0000-C000-000000000046} Name other", value: "1" },
      ],
    });
    const got = await call(`/me/messages/${draft.id}?$select=subject&${expandMarker}`);
    expect(got.json.subject).toBe("New subject");
    expect(got.json.singleValueExtendedProperties).toEqual([
      { id: TECHNIQUE_PROPERTY, value: "pending-file" },
    ]);
    for (const [id, body] of [
      ["sent-1", { subject: "changed after sending" }],
      ["sent-1", { body: { contentType: "html", content: "x" } }],
      [draft.id, { internetMessageHeaders: [{ name: "x-rekindle-technique", value: "nudge" }] }],
    ] as const) {
      const refused = await call(`/me/messages/${id}`, "PATCH", body);
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe("ErrorInvalidPropertyRequest");
    }
  });
});

describe("graphEmulator.ts $batch sequencing and faults", () => {
  const creations = (n: number, sequential: boolean) =>
    Array.from({ length: n }, (_, i) => ({
      id: `r${i}`,
      method: "POST",
      url: `/me/messages/sent-${i}/createReplyAll`,
      headers: { "Content-Type": "application/json" },
      body: { comment: "<p>hi</p>" },
      ...(sequential && i > 0 ? { dependsOn: [`r${i - 1}`] } : {}),
    }));

  it("should run a fully sequential batch of 20 in one concurrency slot", async () => {
    await start();
    const res = await call("/$batch", "POST", { requests: creations(20, true) });
    expect(res.status).toBe(200);
    expect(res.json.responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(emulator.drafts()).toHaveLength(20);
  });

  it("should fail the requests after a failed one with 424 in a sequential batch", async () => {
    await start();
    const requests = creations(5, true);
    requests[2] = { ...requests[2]!, url: "/me/messages/no-such/createReplyAll" };
    const res = await call("/$batch", "POST", { requests });
    expect(res.json.responses.map((r) => r.status)).toEqual([201, 201, 404, 424, 424]);
    expect(emulator.drafts()).toHaveLength(2);
  });

  it("should refuse a batch that is neither fully sequential nor fully parallel", async () => {
    await start();
    const requests = creations(4, false);
    requests[3] = { ...requests[3]!, dependsOn: ["r0"] };
    const res = await call("/$batch", "POST", { requests });
    expect(res.status).toBe(400);
    expect(emulator.drafts()).toHaveLength(0);
  });

  it("should throttle some items inside a batch with their own Retry-After", async () => {
    await start({ batchItemThrottleRate: 0.3, seed: 5 });
    const res = await call("/$batch", "POST", { requests: creations(4, false) });
    const statuses = res.json.responses.map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(201);
    const throttled = res.json.responses.find((r) => r.status === 429)!;
    expect(throttled.headers["Retry-After"]).toBe("2");
    expect(throttled.body.error.code).toBe("TooManyRequests");
    expect(emulator.drafts()).toHaveLength(statuses.filter((s) => s === 201).length);
  });

  it("should fail exactly the one batched request asked for, in an otherwise good batch", async () => {
    await start({ failBatchedRequest: 3 });
    const res = await call("/$batch", "POST", { requests: creations(4, false) });
    expect(res.json.responses.map((r) => r.status)).toEqual([201, 201, 500, 201]);
    const again = await call("/$batch", "POST", { requests: creations(4, false) });
    expect(again.json.responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
  });
});
