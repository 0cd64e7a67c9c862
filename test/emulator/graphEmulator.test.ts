import { Client } from "@microsoft/microsoft-graph-client";
import { createGraphConnection, StaticTokenProvider } from "../../src/graph/graphClient";
import { graphMessage } from "../fixtures/graphMessage";
import { generateMailbox } from "../fixtures/mailboxGenerator";
import { type EmulatorOptions, type RunningEmulator, startGraphEmulator } from "./graphEmulator";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const mailbox = generateMailbox({ seed: 2, sent: 30, inbox: 2400, now: new Date(NOW - 3600_000) });
let emulator: RunningEmulator;

async function start(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  emulator = await startGraphEmulator({ mailbox, clock: () => NOW, ...options });
  return emulator;
}
afterEach(async () => emulator?.close());

function call(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== null) headers.set("Authorization", `Bearer ${init.token ?? emulator.token}`);
  return fetch(`${emulator.url}${path}`, { ...init, headers });
}

describe("graphEmulator.ts", () => {
  describe("authentication and errors", () => {
    it.each([
      [null, "Access token is empty."],
      ["wrong", "IDX14100: JWT is not well formed."],
    ])(
      "should answer 401 InvalidAuthenticationToken in Graph's error format (token %s)",
      async (token, message) => {
        await start();
        const res = await call("/me", { token });
        expect(res.status).toBe(401);
        const body = (await res.json()) as {
          error: { code: string; message: string; innerError: Record<string, string> };
        };
        expect(body.error.code).toBe("InvalidAuthenticationToken");
        expect(body.error.message).toBe(message);
        expect(body.error.innerError["request-id"]).toBe(res.headers.get("request-id"));
        expect(body.error.innerError.date).toBe("2026-06-01T12:00:00Z");
      },
    );

    it("should name an unknown folder or message with 404 ErrorItemNotFound", async () => {
      await start();
      for (const path of ["/me/mailFolders/nope", "/me/messages/nope"]) {
        const res = await call(path);
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ErrorItemNotFound");
      }
    });
  });

  describe("/me and mail folders", () => {
    it("should serve /me and folders by well-known name or id with totalItemCount", async () => {
      await start();
      const me = (await (await call("/me")).json()) as Record<string, unknown>;
      expect(me["@odata.context"]).toContain("$metadata#users/$entity");
      expect(me.mail).toBe(mailbox.me.mail);
      const inbox = (await (await call("/me/mailFolders/inbox")).json()) as {
        id: string;
        totalItemCount: number;
      };
      expect(inbox.totalItemCount).toBe(2400);
      const byId = (await (await call(`/me/mailFolders/${inbox.id}`)).json()) as { totalItemCount: number };
      expect(byId.totalItemCount).toBe(2400);
    });

    it("should list the top folders and Inbox's child folder Projects, addressable only by its id", async () => {
      await start();
      type FolderJson = { id: string; displayName: string; parentFolderId: string; childFolderCount: number };
      const top = (await (await call("/me/mailFolders")).json()) as { value: FolderJson[] };
      expect(top.value.map((f) => f.displayName).sort()).toEqual([
        "Archive",
        "Deleted Items",
        "Drafts",
        "Inbox",
        "Sent Items",
      ]);
      const inbox = top.value.find((f) => f.displayName === "Inbox") as FolderJson;
      expect(inbox.childFolderCount).toBe(1);
      const children = (await (await call(`/me/mailFolders/${inbox.id}/childFolders`)).json()) as {
        value: FolderJson[];
      };
      expect(children.value.map((f) => [f.displayName, f.parentFolderId, f.childFolderCount])).toEqual([
        ["Projects", inbox.id, 0],
      ]);
      expect(children.value[0]?.id).toBe(emulator.folderId("projects"));
      expect((await call("/me/mailFolders/projects")).status).toBe(404);
      expect((await call(`/me/mailFolders/${emulator.folderId("projects")}/messages`)).status).toBe(200);
    });
  });

  describe("messages", () => {
    it("should cap $top at 1,000, page with nextLink, and honour $select and a receivedDateTime range", async () => {
      await start();
      const client = createGraphConnection({
        baseUrl: emulator.url,
        authProvider: new StaticTokenProvider(emulator.token),
      }).client;
      const first = (await client
        .api("/me/mailFolders/inbox/messages?$top=5000&$select=id,subject")
        .get()) as {
        value: Record<string, unknown>[];
        "@odata.nextLink": string;
      };
      expect(first.value).toHaveLength(1000);
      expect(Object.keys(first.value[0] ?? {}).sort()).toEqual(["@odata.etag", "id", "subject"]);
      // Like Graph, the nextLink is percent-encoded (%24skip); clients treat it as opaque.
      expect(decodeURIComponent(first["@odata.nextLink"])).toContain("$skip=1000");
      const times = mailbox.inbox.map((m) => Date.parse(m.receivedDateTime)).sort((a, b) => a - b);
      const from = new Date(times[100] as number).toISOString();
      const to = new Date(times[200] as number).toISOString();
      const filter = encodeURIComponent(`receivedDateTime ge ${from} and receivedDateTime lt ${to}`);
      const ranged = (await client
        .api(`/me/mailFolders/inbox/messages?$filter=${filter}&$top=1000`)
        .get()) as { value: unknown[] };
      expect(ranged.value).toHaveLength(
        times.filter((t) => t >= Date.parse(from) && t < Date.parse(to)).length,
      );
      const bad = await call(
        `/me/mailFolders/inbox/messages?$filter=${encodeURIComponent("subject eq 'x'")}`,
      );
      expect(bad.status).toBe(400);
    });

    it("should answer $count=true with @odata.count of the filtered folder, and refuse a bad $skip or $count", async () => {
      await start();
      const times = mailbox.inbox.map((m) => Date.parse(m.receivedDateTime)).sort((a, b) => a - b);
      const from = new Date(times[300] as number).toISOString();
      const filter = encodeURIComponent(`receivedDateTime ge ${from}`);
      const expected = times.filter((t) => t >= Date.parse(from)).length;
      const page = (await (
        await call(`/me/mailFolders/inbox/messages?$filter=${filter}&$count=true&$top=7&$skip=20&$select=id`)
      ).json()) as { "@odata.count": number; value: unknown[] };
      expect(page["@odata.count"]).toBe(expected);
      expect(page.value).toHaveLength(7);
      const uncounted = (await (await call(`/me/mailFolders/inbox/messages?$top=1`)).json()) as object;
      expect(uncounted).not.toHaveProperty("@odata.count");
      // Oldest first reads the same range from the other end, page by page.
      const ids = async (orderby: string, skip: number): Promise<string[]> =>
        (
          (await (
            await call(
              `/me/mailFolders/inbox/messages?$filter=${filter}&$orderby=${encodeURIComponent(orderby)}&$top=400&$skip=${skip}&$select=id`,
            )
          ).json()) as { value: { id: string }[] }
        ).value.map((m) => m.id);
      const all = async (orderby: string): Promise<string[]> => {
        const out: string[] = [];
        for (let skip = 0; skip < expected; skip += 400) out.push(...(await ids(orderby, skip)));
        return out;
      };
      const newest = await all("receivedDateTime desc");
      const oldest = await all("receivedDateTime asc");
      expect(newest).toHaveLength(expected);
      expect(oldest).toEqual([...newest].reverse());
      for (const query of ["$skip=-1", "$skip=abc", "$count=yes"]) {
        expect((await call(`/me/mailFolders/inbox/messages?${query}`)).status).toBe(400);
      }
    });

    it("should create reply and reply-all drafts with the comment and keep them", async () => {
      await start();
      const original = mailbox.inbox.find((m) => m.ccRecipients.length > 0) ?? mailbox.inbox[0];
      const res = await call(`/me/messages/${original?.id}/createReplyAll`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ comment: "<p>Hi there</p>" }),
      });
      expect(res.status).toBe(201);
      const draft = (await res.json()) as {
        id: string;
        subject: string;
        isDraft: boolean;
        toRecipients: unknown[];
      };
      expect(draft.isDraft).toBe(true);
      expect(draft.subject).toMatch(/^RE: /i);
      const stored = emulator.drafts();
      expect(stored.map((d) => d.id)).toEqual([draft.id]);
      expect(JSON.stringify(stored[0]?.body)).toContain("Hi there");
      expect(JSON.stringify(stored[0]?.toRecipients)).not.toContain(mailbox.me.mail);
      const reply = await call(`/me/messages/${original?.id}/createReply`, {
        method: "POST",
        body: "{}",
        headers: { "Content-Type": "application/json" },
      });
      expect(reply.status).toBe(201);
      expect(emulator.drafts()).toHaveLength(2);
    });

    it("should PATCH allowed fields and refuse others", async () => {
      await start();
      const id = mailbox.inbox[0]?.id as string;
      const ok = await call(`/me/messages/${id}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ isRead: false, categories: ["Rekindle"] }),
      });
      expect(ok.status).toBe(200);
      expect(
        ((await (await call(`/me/messages/${id}?$select=categories`)).json()) as { categories: string[] })
          .categories,
      ).toEqual(["Rekindle"]);
      const bad = await call(`/me/messages/${id}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: "x" }),
      });
      expect(bad.status).toBe(400);
    });
  });

  describe("delta", () => {
    it("should cap odata.maxpagesize, then report only new, changed and @removed messages", async () => {
      await start();
      const headers = { Prefer: "odata.maxpagesize=5000" };
      let res = await call("/me/mailFolders/inbox/messages/delta?$select=id,subject", { headers });
      expect(res.headers.get("Preference-Applied")).toBe("odata.maxpagesize=1000");
      let page = (await res.json()) as {
        value: unknown[];
        "@odata.nextLink"?: string;
        "@odata.deltaLink"?: string;
      };
      let seen = page.value.length;
      while (page["@odata.nextLink"]) {
        res = await fetch(page["@odata.nextLink"], {
          headers: { Authorization: `Bearer ${emulator.token}` },
        });
        page = (await res.json()) as typeof page;
        seen += page.value.length;
      }
      expect(seen).toBe(2400);
      const deltaLink = page["@odata.deltaLink"] as string;
      expect(deltaLink).toContain("$deltatoken=");
      const changed = mailbox.inbox[5]?.id as string;
      const removed = mailbox.inbox[6]?.id as string;
      emulator.updateMessage(changed, { subject: "changed" });
      emulator.deleteMessage(removed);
      const added = emulator.addMessage("inbox", {
        ...graphMessage({ id: "added", conversationId: "c", from: "a@b.com", at: new Date(NOW) }),
      });
      const round = (await (
        await fetch(deltaLink, { headers: { Authorization: `Bearer ${emulator.token}` } })
      ).json()) as {
        value: Record<string, unknown>[];
        "@odata.deltaLink": string;
      };
      expect(round.value.map((v) => [v.id, v["@removed"] ? "removed" : (v.subject ?? "")])).toEqual([
        [changed, "changed"],
        [removed, "removed"],
        [added, ""],
      ]);
      emulator.expireDeltaTokens();
      const gone = await fetch(round["@odata.deltaLink"], {
        headers: { Authorization: `Bearer ${emulator.token}` },
      });
      expect(gone.status).toBe(410);
      expect(((await gone.json()) as { error: { code: string } }).error.code).toBe("SyncStateNotFound");
    });

    it("should report every change of a round in order when deltaReportsEveryChange is on", async () => {
      await start({ deltaReportsEveryChange: true });
      const first = (await (
        await call(
          `/me/mailFolders/inbox/messages/delta?$select=id&$filter=${encodeURIComponent("receivedDateTime ge 2026-06-01T11:20:00Z")}`,
          {
            headers: { Prefer: "odata.maxpagesize=1000" },
          },
        )
      ).json()) as { value: unknown[]; "@odata.nextLink"?: string; "@odata.deltaLink"?: string };
      let link = first["@odata.deltaLink"] as string;
      expect(link).toBeDefined();
      emulator.addMessage("inbox", { id: "brief", receivedDateTime: "2026-06-01T11:30:00Z" });
      emulator.deleteMessage("brief");
      link = link.slice(emulator.url.length);
      const round = (await (await call(link, { headers: { Prefer: "odata.maxpagesize=1000" } })).json()) as {
        value: { id: string; "@removed"?: unknown }[];
      };
      expect(round.value.map((v) => [v.id, v["@removed"] ? "removed" : "there"])).toEqual([
        ["brief", "there"],
        ["brief", "removed"],
      ]);
    });

    it("should return at most the cap from a receivedDateTime-filtered delta, and refuse other filters", async () => {
      await start({ deltaFilterCap: 50 });
      const filter = encodeURIComponent("receivedDateTime ge 2020-01-01T00:00:00Z");
      const page = (await (
        await call(`/me/mailFolders/inbox/messages/delta?$filter=${filter}`, {
          headers: { Prefer: "odata.maxpagesize=1000" },
        })
      ).json()) as {
        value: unknown[];
        "@odata.deltaLink"?: string;
      };
      expect(page.value).toHaveLength(50);
      expect(page["@odata.deltaLink"]).toBeDefined();
      const lt = await call(
        `/me/mailFolders/inbox/messages/delta?$filter=${encodeURIComponent("receivedDateTime lt 2020-01-01T00:00:00Z")}`,
      );
      expect(lt.status).toBe(400);
    });
  });

  describe("throttling, $batch and CORS", () => {
    it("should refuse more than 4 concurrent requests with 429 and Retry-After", async () => {
      await start({ faults: { latencyMs: 80, retryAfterSeconds: 2 } });
      const results = await Promise.all(Array.from({ length: 6 }, () => call("/me")));
      const refused = results.filter((r) => r.status === 429);
      expect(refused).toHaveLength(2);
      expect(refused[0]?.headers.get("Retry-After")).toBe("2");
      expect(((await refused[0]?.json()) as { error: { code: string } }).error.code).toBe(
        "ApplicationThrottled",
      );
    });

    it("should run up to 20 requests in a $batch, answering 200 with 429 inside for those over the concurrency limit", async () => {
      await start();
      const requests = Array.from({ length: 6 }, (_, i) => ({
        id: String(i),
        method: "GET",
        url: "/me/mailFolders/inbox",
      }));
      const res = await call("/$batch", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ requests }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        responses: { id: string; status: number; body: { totalItemCount?: number } }[];
      };
      expect(body.responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 429]);
      expect(body.responses[0]?.body.totalItemCount).toBe(2400);
      const tooMany = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/me" }));
      const refused = await call("/$batch", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ requests: tooMany }),
      });
      expect(refused.status).toBe(400);
    });

    it("should answer CORS preflights without a token and expose Graph's headers", async () => {
      await start();
      const preflight = await call("/me", {
        method: "OPTIONS",
        token: null,
        headers: {
          Origin: "https://localhost:3000",
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "authorization,prefer",
        },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("https://localhost:3000");
      expect(preflight.headers.get("Access-Control-Allow-Headers")).toBe("authorization,prefer");
      const res = await call("/me", { headers: { Origin: "https://localhost:3000" } });
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://localhost:3000");
      expect(res.headers.get("Access-Control-Expose-Headers")).toContain("Retry-After");
    });
  });

  describe("fault knobs", () => {
    it("should drop connections, expire tokens and delay answers when asked", async () => {
      await start({ faults: { dropRate: 1 } });
      await expect(call("/me")).rejects.toThrow();
      emulator.setFaults({ tokenExpiryRate: 1 });
      const expired = await call("/me");
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { error: { message: string } }).error.message).toContain("expired");
      emulator.setFaults({ latencyMs: 60 });
      const t = performance.now();
      expect((await call("/me")).status).toBe(200);
      expect(performance.now() - t).toBeGreaterThanOrEqual(55);
    });

    it("should be reproducible: the same seed injects the same faults", async () => {
      const pattern = async (): Promise<number[]> => {
        await start({ faults: { seed: 9, throttleRate: 0.3, unavailableRate: 0.2, retryAfterSeconds: 0 } });
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await call("/me")).status);
        await emulator.close();
        return out;
      };
      const a = await pattern();
      expect(a).toContain(429);
      expect(await pattern()).toEqual(a);
    });
  });

  it("should be usable from the Graph SDK client as is", async () => {
    await start();
    const client = Client.initWithMiddleware({
      authProvider: { getAccessToken: async () => emulator.token },
      baseUrl: emulator.url.replace("/v1.0", ""),
      customHosts: new Set(["127.0.0.1"]),
    });
    // The SDK's own AuthenticationHandler attaches tokens for https hosts only: over http the emulator says 401.
    await expect(client.api("/me").get()).rejects.toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationToken",
    });
  });
});
