import { main } from "../../src/cli/main";

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `rekindle` in-process, capturing its output; `now` is the clock the CLI sees. */
export async function runCli(
  argv: string[],
  env: Record<string, string> = {},
  now: () => number = () => Date.now(),
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, now });
  return { code, stdout, stderr };
}
