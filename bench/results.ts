// `npm run bench:results`: what the Results view and `rekindle stats` cost beside the list's own classification,
// on generated mailboxes of 10k and 100k messages. Prints `name: value` medians and the ratio; asserts nothing.
import { detectAwaitingReply } from "../src/core/awaitingReply";
import { instant } from "../src/core/message";
import { resultsOf } from "../src/core/results";
import { DEFAULT_SETTINGS } from "../src/core/settings";
import { EMPTY_USER_STATE } from "../src/core/userState";
import { parseMailboxJson } from "../src/graph/mailboxFile";
import { generateMailbox } from "../test/fixtures/mailboxGenerator";

const NOW = "2026-11-20T09:00:00Z";
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

function time(run: () => unknown): number {
  run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

for (const size of [10_000, 100_000]) {
  const json = JSON.parse(
    JSON.stringify(generateMailbox({ seed: 1, sent: size / 4, inbox: (size * 3) / 4, now: NOW })),
  );
  const { mailbox } = parseMailboxJson(json, `generated-${size}`);
  const options = { now: instant(Date.parse(NOW)), settings: DEFAULT_SETTINGS, userState: EMPTY_USER_STATE };
  const classify = time(() => detectAwaitingReply(mailbox, options));
  const results = time(() => resultsOf(mailbox, [], options));
  const k = `${size / 1000}k`;
  console.log(`classify ${k} median ms: ${classify.toFixed(1)}`);
  console.log(`results ${k} median ms: ${results.toFixed(1)}`);
  console.log(`results / classify ${k}: ${(results / classify).toFixed(2)}`);
}
