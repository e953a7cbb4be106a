import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  data?: T;
  error?: Error;
  /** When the last load finished, successful or not. */
  updatedAt?: Date;
  /** Loads again now, whatever the interval. */
  refresh: () => void;
}

/**
 * Loads, then again `intervalMs` after each load finished (never two at once) while `live`.
 * A new `key` or a refresh loads at once, paused or not; pausing keeps what is shown, resuming
 * loads at once. A load still under way when the page goes is let finish and its answer dropped:
 * cancelling it would count as a failed request.
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number, key: string, live = true): Polled<T> {
  // Kept with the key it was loaded for: another key's data (the previous filter's) is never shown as this one's.
  const [state, setState] = useState<Omit<Polled<T>, 'refresh'> & { key?: string }>({});
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  const started = useRef<string>(undefined);

  // Before the polling effect, so a load always calls the latest function.
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let active = true;
    let timer: number | undefined;
    const run = async (): Promise<void> => {
      started.current = `${key}#${round}`;
      try {
        const data = await loadRef.current();
        if (active) setState({ key, data, updatedAt: new Date() });
      } catch (error) {
        if (active) setState((previous) => ({ ...(previous.key === key ? previous : {}), key, error: error as Error, updatedAt: new Date() }));
      }
      if (active && live) timer = window.setTimeout(() => void run(), intervalMs);
    };
    if (live || started.current !== `${key}#${round}`) void run();
    return () => {
      active = false;
      window.clearTimeout(timer);
    };
  }, [key, intervalMs, live, round]);

  const refresh = useCallback(() => setRound((n) => n + 1), []);
  const { key: loadedFor, ...loaded } = state;
  return { ...(loadedFor === key ? loaded : {}), refresh };
}
