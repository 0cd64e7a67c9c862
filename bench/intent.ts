// `npm run bench:intent`: how well and how fast classifyAnswer reads answers. Prints accuracy on the corpus
// (per intent, per language, overall), how many positive or neutral answers it called declined, and the time
// per classification (medians). Asserts nothing: test/core/answerIntent.test.ts enforces the corpus targets.
import { classifyAnswer, type IntentInput } from "../src/core/answerIntent";
import { instant } from "../src/core/message";
import { INTENT_CORPUS, type IntentCase } from "../test/fixtures/intentCorpus";
import { generateMailbox } from "../test/fixtures/mailboxGenerator";

const TARGET_ACCURACY = 0.95;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 200);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`.padStart(7);
const localDate = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    ms,
  );

const inputOf = (c: IntentCase): IntentInput => ({
  subject: c.subject,
  text: c.text,
  sentAt: instant(Date.parse(c.sentAt)),
  automated: c.automated,
  timeZone: c.timeZone,
});

/** CPU µs of this process (user + system): steadier than wall time on a machine shared with other work. */
const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Median CPU µs per call over inputs, each timed over REPEAT calls after a warm-up. */
function microsPerCall(inputs: readonly IntentInput[]): number {
  for (const input of inputs) for (let i = 0; i < 20; i++) classifyAnswer(input);
  const per: number[] = [];
  for (const input of inputs) {
    const start = cpuMicros();
    for (let i = 0; i < REPEAT; i++) classifyAnswer(input);
    per.push((cpuMicros() - start) / REPEAT);
  }
  return median(per);
}

function main() {
  const firstStart = process.hrtime.bigint();
  classifyAnswer(inputOf(INTENT_CORPUS[0]!));
  const firstMs = Number(process.hrtime.bigint() - firstStart) / 1e6;

  const rows = INTENT_CORPUS.map((c) => {
    const r = classifyAnswer(inputOf(c));
    const day = r.until === undefined ? undefined : localDate(r.until, c.timeZone);
    const ok =
      r.kind === c.expected && day === c.until && JSON.stringify(r.successor) === JSON.stringify(c.successor);
    return { c, r, ok };
  });

  const table = (label: string, keyOf: (c: IntentCase) => string) => {
    const groups = new Map<string, { n: number; ok: number }>();
    for (const { c, ok } of rows) {
      const g = groups.get(keyOf(c)) ?? { n: 0, ok: 0 };
      g.n++;
      if (ok) g.ok++;
      groups.set(keyOf(c), g);
    }
    console.log(`${label.padEnd(16)} cases   right  accuracy`);
    for (const [key, g] of [...groups].sort()) {
      console.log(
        `${key.padEnd(16)} ${String(g.n).padStart(5)}   ${String(g.ok).padStart(5)}  ${pct(g.ok, g.n)}`,
      );
    }
    console.log("");
  };

  console.log(
    `Answer-intent classifier on ${INTENT_CORPUS.length} corpus cases (kind, day and successor must all match)\n`,
  );
  table("intent", (c) => c.expected);
  table("language", (c) => c.lang);

  const right = rows.filter((x) => x.ok).length;
  const accuracy = right / rows.length;
  const falseDeclines = rows.filter((x) => x.c.expected === "answer" && x.r.kind === "declined").length;
  console.log(
    `overall accuracy: ${right}/${rows.length} = ${pct(right, rows.length).trim()} (target ≥ ${TARGET_ACCURACY * 100}% → ${accuracy >= TARGET_ACCURACY ? "met" : "MISSED"})`,
  );
  console.log(
    `positive/neutral answers classed declined: ${falseDeclines} (target 0 → ${falseDeclines === 0 ? "met" : "MISSED"})`,
  );
  for (const { c, r, ok } of rows) {
    if (!ok)
      console.log(
        `  wrong: expected ${c.expected}${c.until ? ` ${c.until}` : ""}, got ${r.kind}: ${JSON.stringify(c.text)}`,
      );
  }

  // Speed: the corpus (rich in dated cues), and the inbound previews of a generated mailbox (a realistic mix).
  const generated = generateMailbox({ seed: 1, sent: 2_500, inbox: 7_500, now: "2026-11-20T09:00:00Z" });
  const previews: IntentInput[] = generated.inbox.map((m) => ({
    subject: m.subject,
    text: m.bodyPreview,
    sentAt: instant(Date.parse(m.sentDateTime)),
    automated: Boolean(m.internetMessageHeaders?.length || m.singleValueExtendedProperties?.length),
    timeZone: "Europe/Berlin",
  }));
  const corpusMicros = microsPerCall(rows.map((x) => inputOf(x.c)));
  const sample = previews.filter((p) => p.text !== "").slice(0, 2_000);
  const previewMicros = microsPerCall(sample);
  const start = cpuMicros();
  for (const p of previews) classifyAnswer(p);
  const allMs = (cpuMicros() - start) / 1000;

  console.log("");
  console.log(`first call (compiles the patterns): ${firstMs.toFixed(1)} ms`);
  console.log(`median CPU time per classification, corpus cases: ${corpusMicros.toFixed(2)} µs`);
  console.log(
    `median CPU time per classification, generated inbound previews: ${previewMicros.toFixed(2)} µs`,
  );
  console.log(
    `all ${previews.length} inbound messages of a generated 10k mailbox, once: ${allMs.toFixed(1)} ms CPU (${((allMs / previews.length) * 1000).toFixed(2)} µs each)`,
  );
  console.log(
    `projected for 40k conversations at the preview median: ${((40_000 * previewMicros) / 1000).toFixed(1)} ms`,
  );
}

main();
