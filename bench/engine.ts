// `npm run bench`: how long classifying and scoring takes, and its peak memory, on generated mailboxes of
// 10k, 100k and 300k messages. Prints medians and the growth ratios; asserts nothing (machines are noisy).
import { detectAwaitingReply } from "../src/core/awaitingReply";
import { instant, type Mailbox } from "../src/core/message";
import { DEFAULT_SETTINGS } from "../src/core/settings";
import { EMPTY_USER_STATE } from "../src/core/userState";
import { parseMailboxJson } from "../src/graph/mailboxFile";
import { generateMailbox } from "../test/fixtures/mailboxGenerator";

const NOW = "2026-11-20T09:00:00Z";
const SIZES = [10_000, 100_000, 300_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_MS_100K = 250;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function measure(mailbox: Mailbox) {
  const options = { now: instant(Date.parse(NOW)), settings: DEFAULT_SETTINGS, userState: EMPTY_USER_STATE };
  detectAwaitingReply(mailbox, options); // warm-up: JIT and inline caches
  const times: number[] = [];
  let peak = 0;
  let conversations = 0;
  for (let i = 0; i < RUNS; i++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const start = process.hrtime.bigint();
    const reports = detectAwaitingReply(mailbox, options);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    conversations = reports.length;
  }
  return { ms: median(times), peak, conversations };
}

function main() {
  if (!(globalThis as { gc?: unknown }).gc)
    console.log("(run with node --expose-gc for steadier memory figures)");
  console.log(`Classify + score, median of ${RUNS} runs after a warm-up, on this machine:\n`);
  console.log(
    "messages   conversations   median ms   ms per 1k msgs   peak heap during run   heap after load",
  );
  const results: { size: number; ms: number }[] = [];
  for (const size of SIZES) {
    gc();
    const base = process.memoryUsage().heapUsed;
    // Through JSON text, as a mailbox file or a Graph response arrives, so strings are laid out as in real use.
    const text = JSON.stringify(
      generateMailbox({ seed: 1, sent: size / 4, inbox: (size * 3) / 4, now: NOW }),
    );
    const { mailbox } = parseMailboxJson(JSON.parse(text), `generated-${size}`);
    gc();
    const loaded = process.memoryUsage().heapUsed - base;
    const { ms, peak, conversations } = measure(mailbox);
    results.push({ size, ms });
    console.log(
      `${String(size).padStart(8)}   ${String(conversations).padStart(13)}   ${ms.toFixed(1).padStart(9)}   ${((ms / size) * 1000).toFixed(2).padStart(14)}   ${mb(peak).padStart(20)}   ${mb(loaded).padStart(15)}`,
    );
  }
  const at = (n: number) => results.find((r) => r.size === n)?.ms ?? NaN;
  console.log("");
  console.log(
    `growth 10k → 100k: ×${(at(100_000) / at(10_000)).toFixed(1)} time for ×10 messages (linear ≈ 10)`,
  );
  console.log(
    `growth 100k → 300k: ×${(at(300_000) / at(100_000)).toFixed(1)} time for ×3 messages (linear ≈ 3)`,
  );
  const verdict = at(100_000) <= TARGET_MS_100K ? "met" : "MISSED";
  console.log(`target: 100k messages in < ${TARGET_MS_100K} ms → ${at(100_000).toFixed(1)} ms (${verdict})`);
}

main();
