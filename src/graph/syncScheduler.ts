// The sync's one scheduler: it alone decides how many requests are in flight for the mailbox (Graph allows 4).
// Each job gets a slot and gives it back itself once its answer has arrived (or when it ends, whichever is first),
// so the next request is on its way while a page is parsed and stored. Nothing outside calls back into it.

/** A job's claim on one of the lanes; release() is idempotent. */
export interface Slot {
  release(): void;
}

/** One unit of work: exactly one request, then whatever it does with the answer. */
export type SyncJob = (slot: Slot) => Promise<void>;

export interface SchedulerOptions {
  /** Requests in flight at once. */
  readonly lanes: number;
  /** Jobs started and not yet finished, at most (answers waiting to be stored count); default 2 × lanes. */
  readonly maxRunning?: number;
  /** The next job to start, or null when none can start now (more may become ready as jobs finish). */
  readonly next: () => SyncJob | null;
  /** Whether all the work is done, asked when nothing runs and nothing can start. */
  readonly finished: () => boolean;
}

/** A scheduler that stopped with work left and nothing able to start it. */
export class SchedulerStalledError extends Error {
  constructor() {
    super("the sync stopped with work left that could not start; run it again");
    this.name = "SchedulerStalledError";
  }
}

/**
 * Runs jobs until `finished()`; the first failure stops new jobs and, once the running ones have settled, rejects
 * with that failure.
 */
export function runScheduled(options: SchedulerOptions): Promise<void> {
  const { lanes, next, finished } = options;
  if (!Number.isInteger(lanes) || lanes < 1)
    throw new RangeError(`lanes must be a whole number ≥ 1, got ${lanes}`);
  const maxRunning = options.maxRunning ?? 2 * lanes;
  return new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    let running = 0;
    let failure: { error: unknown } | null = null;
    let settled = false;
    const pump = (): void => {
      while (failure === null && inFlight < lanes && running < maxRunning) {
        let job: SyncJob | null;
        try {
          job = next();
        } catch (error) {
          failure = { error };
          break;
        }
        if (!job) break;
        inFlight++;
        running++;
        let held = true;
        const slot: Slot = {
          release() {
            if (!held) return;
            held = false;
            inFlight--;
            pump();
          },
        };
        let started: Promise<void>;
        try {
          started = job(slot);
        } catch (error) {
          started = Promise.reject(error);
        }
        started.then(
          () => {
            running--;
            slot.release();
            pump();
          },
          (error: unknown) => {
            running--;
            failure ??= { error };
            slot.release();
            pump();
          },
        );
      }
      if (running > 0 || settled) return;
      settled = true;
      if (failure !== null) reject(failure.error);
      else if (finished()) resolve();
      else reject(new SchedulerStalledError());
    };
    pump();
  });
}
