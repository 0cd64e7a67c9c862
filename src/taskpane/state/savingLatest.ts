// Saving only the newest of a stream of values (each judged list, as the user acts): one save at a time, and a value
// that comes while one is being saved waits for it, in place of any value already waiting.

/**
 * A function that saves each value it is given through `save`, unless a newer one comes first. A save that fails
 * is passed to `onError`, and the next value is still saved.
 */
export function savingLatest<T>(
  save: (value: T) => Promise<unknown>,
  onError: (error: unknown) => void = () => undefined,
): (value: T) => void {
  let saving = false;
  let waiting: { readonly value: T } | null = null;
  const start = (value: T): void => {
    saving = true;
    void Promise.resolve()
      .then(() => save(value))
      .catch(onError)
      .finally(() => {
        saving = false;
        const next = waiting;
        waiting = null;
        if (next) start(next.value);
      });
  };
  return (value) => {
    if (saving) waiting = { value };
    else start(value);
  };
}
