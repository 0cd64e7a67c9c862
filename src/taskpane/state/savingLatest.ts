// Saving only the newest of a stream of values (each judged list, as the user acts): one save at a time, and a value
// that comes while one is being saved waits for it, in place of any value already waiting.

/**
 * Saves `value` once the save before it is done, unless a newer value comes first. With `quietMs`, it waits that
 * long after the last value first (so a burst of actions is saved once, after it); a value without replaces it and
 * is saved at once.
 */
export type LatestSaver<T> = (value: T, quietMs?: number) => void;

/** A LatestSaver through `save`. A save that fails is passed to `onError`, and the next value is still saved. */
export function savingLatest<T>(
  save: (value: T) => Promise<unknown>,
  onError: (error: unknown) => void = () => undefined,
): LatestSaver<T> {
  let saving = false;
  let waiting: { readonly value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pump = (): void => {
    if (saving || !waiting || timer !== undefined) return;
    const { value } = waiting;
    waiting = null;
    saving = true;
    void Promise.resolve()
      .then(() => save(value))
      .catch(onError)
      .finally(() => {
        saving = false;
        pump();
      });
  };
  return (value, quietMs = 0) => {
    waiting = { value };
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (quietMs > 0)
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, quietMs);
    else pump();
  };
}
