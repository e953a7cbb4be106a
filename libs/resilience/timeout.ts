/** `operation`'s outcome, or `timedOut()`'s error once `ms` have passed first; the timer is cleared either way. */
export function rejectAfter<T>(operation: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
