// Starts the judging worker (judge.worker.ts, bundled by webpack as a chunk of its own, from this origin). Only
// the composition root imports this file: `import.meta.url` is for the bundler, not for the tests' CommonJS.
import { WorkerJudging } from "./state/judging";

/**
 * The engine in a worker, keeping each judgement of every conversation in the cache named `databaseName`; undefined
 * where the browser has no Worker (the pane then judges on its own thread).
 */
export function startJudgeWorker(databaseName: string | null): WorkerJudging | undefined {
  if (typeof Worker === "undefined") return undefined;
  try {
    const worker = new Worker(new URL("./judge.worker.ts", import.meta.url), { name: "rekindle-judging" });
    const judging = new WorkerJudging(worker, databaseName !== null);
    if (databaseName !== null) worker.postMessage({ t: "keepIn", databaseName });
    return judging;
  } catch {
    return undefined;
  }
}
