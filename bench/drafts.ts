// `npm run bench:drafts`: the pending-file clean-up of 200 conversations through the emulator at 50 ms per request
// (BENCH_DRAFTS, BENCH_LATENCY_MS; BENCH_RUNS runs, default 5, each into a fresh mailbox: the median counts), against
// the $batch bound: ⌈requests ÷ 20⌉ batches, 4 at a time, each taking one latency. The run has three steps that
// wait on each other (the last-moment check, the lookup of earlier drafts, the creation), so the bound per step is
// printed too. Then a second run over the same mailbox, which must create nothing. Prints figures; asserts nothing.
import { isMyMessage, myAddressesOf } from "../src/core/awaitingReply";
import type { PlannedDraft } from "../src/core/cleanUp";
import { instant } from "../src/core/message";
import { BATCH_SIZE } from "../src/graph/batchRequests";
import { createDraftsInBatches } from "../src/graph/batchDrafts";
import { createGraphConnection, GRAPH_MAX_CONCURRENT, StaticTokenProvider } from "../src/graph/graphClient";
import { mapGraphUser } from "../src/graph/mapMessage";
import { startGraphEmulator } from "../test/emulator/graphEmulator";
import { graphMessage } from "../test/fixtures/graphMessage";

const DRAFTS = Math.max(1, Number(process.env.BENCH_DRAFTS ?? 200));
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 50);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const ME = "sam.rivera@northwind-sales.com";
const CLOCK = Date.parse("2026-06-01T12:00:00Z");

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
/** Wall time of n requests in batches of 20, 4 batches at a time, one latency per wave of batches. */
const boundMs = (requests: number) =>
  Math.ceil(Math.ceil(requests / BATCH_SIZE) / GRAPH_MAX_CONCURRENT) * LATENCY;

interface Run {
  wall: number;
  requests: number;
  batched: number;
  maxInFlight: number;
  throttled: number;
  created: number;
  existing: number;
  rerunWall: number;
  rerunRequests: number;
  rerunBatched: number;
  rerunCreated: number;
}

async function once(): Promise<Run> {
  const me = { displayName: "Sam Rivera", mail: ME, userPrincipalName: ME };
  const emulator = await startGraphEmulator({
    clock: () => CLOCK,
    faults: { latencyMs: LATENCY },
    mailbox: {
      me,
      sentitems: Array.from({ length: DRAFTS }, (_, i) =>
        graphMessage({
          id: `sent-${i}`,
          conversationId: `conv-${i}`,
          subject: `Proposal ${i}`,
          from: `Sam Rivera <${ME}>`,
          to: [`Dana ${i} <dana${i}@acme-${i % 37}.com>`],
          at: new Date(CLOCK - (120 + (i % 60)) * 86_400_000),
        }),
      ),
      inbox: [],
    },
  });
  try {
    const connection = createGraphConnection({
      baseUrl: emulator.url,
      authProvider: new StaticTokenProvider(emulator.token),
    });
    const mine = myAddressesOf(mapGraphUser(me), []);
    const drafts: PlannedDraft[] = Array.from({ length: DRAFTS }, (_, i) => ({
      conversationId: `conv-${i}`,
      replyToMessageId: `sent-${i}`,
      after: instant(CLOCK - 200 * 86_400_000),
      technique: "pending-file",
      subject: `Quick check-in: Proposal ${i}`,
      html: `<p>Hi Dana, I'm tidying up my open conversations: shall I file my notes on proposal ${i} away?</p>`,
      edited: false,
    }));
    const options = {
      connection,
      drafts,
      isAnswer: (m: Parameters<typeof isMyMessage>[0]) => !isMyMessage(m, mine),
      describeAnswer: () => "answered",
    };
    emulator.resetStats();
    const start = performance.now();
    const outcomes = await createDraftsInBatches(options);
    const wall = performance.now() - start;
    const first = { ...emulator.stats };
    emulator.resetStats();
    const again = performance.now();
    const rerun = await createDraftsInBatches(options);
    const rerunWall = performance.now() - again;
    return {
      wall,
      requests: first.requests,
      batched: first.batchedRequests,
      maxInFlight: first.maxInFlight,
      throttled: first.throttledForConcurrency,
      created: outcomes.filter((o) => o.status === "created").length,
      existing: rerun.filter((o) => o.status === "existing").length,
      rerunWall,
      rerunRequests: emulator.stats.requests,
      rerunBatched: emulator.stats.batchedRequests,
      rerunCreated: rerun.filter((o) => o.status === "created").length,
    };
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:drafts — ${DRAFTS} drafts, ${LATENCY} ms per request, median of ${RUNS}`);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once());
  const last = runs.at(-1) as Run;
  const wall = median(runs.map((r) => r.wall));
  const rerunWall = median(runs.map((r) => r.rerunWall));
  // The three steps: the check (3 well-known folders + one lookup per conversation), the lookup of earlier drafts,
  // and the creation; each waits for the one before.
  const steps = [3 + DRAFTS, DRAFTS, DRAFTS];
  const bound = boundMs(last.batched);
  const stepBound = steps.reduce((sum, n) => sum + boundMs(n), 0);
  const rerunBound = boundMs(last.rerunBatched);
  const figures: [string, string | number][] = [
    ["drafts_created", last.created],
    ["requests_in_batches", last.batched],
    ["http_requests", last.requests],
    ["http_requests_bound", Math.ceil(last.batched / BATCH_SIZE)],
    ["max_in_flight", last.maxInFlight],
    ["throttled_for_concurrency", last.throttled],
    ["wall_ms_median", Math.round(wall)],
    ["wall_ms_bound", bound],
    ["wall_ratio_to_bound", (wall / bound).toFixed(2)],
    ["wall_ms_bound_per_step", stepBound],
    ["wall_ratio_to_bound_per_step", (wall / stepBound).toFixed(2)],
    ["wall_ms_runs", runs.map((r) => Math.round(r.wall)).join(" ")],
    ["rerun_drafts_created", last.rerunCreated],
    ["rerun_drafts_reused", last.existing],
    ["rerun_requests_in_batches", last.rerunBatched],
    ["rerun_http_requests", last.rerunRequests],
    ["rerun_wall_ms_median", Math.round(rerunWall)],
    ["rerun_wall_ms_bound", rerunBound],
    ["rerun_wall_ratio_to_bound", (rerunWall / rerunBound).toFixed(2)],
  ];
  for (const [name, value] of figures) console.log(`${name}: ${value}`);
}

void main();
