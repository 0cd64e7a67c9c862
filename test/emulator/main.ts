// `npm run emulator`: serves a mailbox file or a generated mailbox as a local Microsoft Graph.
//   --mailbox FILE | --generate N [--seed S] [--sent N]   --port P (default 4300)  --token T (default emulator-token)
//   fault knobs (or env EMULATOR_<NAME>): --latency MS --throttle-rate R --unavailable-rate R --gateway-timeout-rate R
//   --drop-rate R --delta-expiry-rate R --token-expiry-rate R --retry-after S --fault-seed S
//   --batch-item-throttle-rate R (429 inside $batch answers) --fail-batched-request N (the Nth batched request: 500)
import { readFileSync } from "node:fs";
import { generateMailbox } from "../fixtures/mailboxGenerator";
import { type EmulatorFaults, type EmulatorMailbox, startGraphEmulator } from "./graphEmulator";

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  return process.env[`EMULATOR_${name.toUpperCase().replace(/-/g, "_")}`];
}

function numberFlag(args: readonly string[], name: string): number | undefined {
  const value = flag(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number, got "${value}"`);
  return n;
}

async function run(args: readonly string[]): Promise<void> {
  const file = flag(args, "mailbox");
  const generate = numberFlag(args, "generate");
  let mailbox: EmulatorMailbox;
  if (file) {
    mailbox = JSON.parse(readFileSync(file, "utf8")) as EmulatorMailbox;
  } else if (generate !== undefined) {
    const sent = numberFlag(args, "sent") ?? Math.round(generate / 4);
    mailbox = generateMailbox({
      seed: numberFlag(args, "seed") ?? 1,
      sent,
      inbox: generate - sent,
      now: new Date(),
    });
  } else {
    throw new Error("say what to serve: --mailbox FILE or --generate N");
  }
  const faults: EmulatorFaults = {
    seed: numberFlag(args, "fault-seed") ?? 1,
    latencyMs: numberFlag(args, "latency") ?? 0,
    throttleRate: numberFlag(args, "throttle-rate") ?? 0,
    unavailableRate: numberFlag(args, "unavailable-rate") ?? 0,
    gatewayTimeoutRate: numberFlag(args, "gateway-timeout-rate") ?? 0,
    dropRate: numberFlag(args, "drop-rate") ?? 0,
    deltaTokenExpiryRate: numberFlag(args, "delta-expiry-rate") ?? 0,
    tokenExpiryRate: numberFlag(args, "token-expiry-rate") ?? 0,
    retryAfterSeconds: numberFlag(args, "retry-after") ?? 1,
    batchItemThrottleRate: numberFlag(args, "batch-item-throttle-rate") ?? 0,
    ...(numberFlag(args, "fail-batched-request") === undefined
      ? {}
      : { failBatchedRequest: numberFlag(args, "fail-batched-request") }),
  };
  const token = flag(args, "token") ?? "emulator-token";
  const emulator = await startGraphEmulator({
    mailbox,
    port: numberFlag(args, "port") ?? 4300,
    token,
    faults,
  });
  console.log(
    `Graph emulator on ${emulator.url} (${mailbox.sentitems.length} sent, ${mailbox.inbox.length} inbox); token: ${token}`,
  );
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`emulator: ${(error as Error).message}`);
  process.exit(2);
});
