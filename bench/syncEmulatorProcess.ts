// The emulator for `npm run bench:sync`, in its own process (the machine's second core), driven over IPC:
// { cmd: "stats" } → its counters, { cmd: "reset" } → zeroes them, { cmd: "latency", ms } → sets the latency.
import { generateMailbox } from "../test/fixtures/mailboxGenerator";
import { startGraphEmulator } from "../test/emulator/graphEmulator";
import { SYNC_EXPAND, SYNC_FIELDS } from "../src/graph/mailSync";

async function run(): Promise<void> {
  const [sent, inbox, latency, now] = process.argv.slice(2);
  const mailbox = generateMailbox({ seed: 1, sent: Number(sent), inbox: Number(inbox), now: String(now) });
  const emulator = await startGraphEmulator({ mailbox, faults: { latencyMs: Number(latency) } });
  // Graph's servers have the mail ready to send; serialising it first keeps that cost out of the measured sync.
  emulator.prepareWire(SYNC_FIELDS, SYNC_EXPAND);
  // …and collecting the garbage of building it now keeps a full collection out of the measured sync.
  (globalThis as { gc?: () => void }).gc?.();
  process.on("message", (raw: unknown) => {
    const m = raw as { cmd: string; ms?: number };
    if (m.cmd === "reset") emulator.resetStats();
    if (m.cmd === "latency") emulator.setFaults({ latencyMs: m.ms ?? 0 });
    if (m.cmd === "exit") void emulator.close().then(() => process.exit(0));
    const cpu = process.cpuUsage();
    process.send?.({ reply: m.cmd, stats: { ...emulator.stats, cpuMs: (cpu.user + cpu.system) / 1000 } });
  });
  process.send?.({ ready: true, url: emulator.url, token: emulator.token });
}

void run();
