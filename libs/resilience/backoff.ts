export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter" (AWS architecture blog, "Exponential Backoff And
 * Jitter"): a random half on top of half the ceiling spreads retries of many failing
 * messages without ever retrying at once. `attempt` counts from 1.
 */
export function backoffDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `operation` until it succeeds, `isRetryable` says no, or `attempts` are used up. */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: BackoffOptions & { attempts: number; isRetryable?: (error: unknown) => boolean },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const retryable = options.isRetryable?.(error) ?? true;
      if (!retryable || attempt >= options.attempts) throw error;
      await sleep(backoffDelay(attempt, options));
    }
  }
}
