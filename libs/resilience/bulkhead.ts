import { E_TIMEOUT, SemaphoreInterface, Semaphore, withTimeout } from 'async-mutex';

/** A call the bulkhead turned away: every slot stayed taken for as long as it may wait. */
export class BulkheadFullError extends Error {
  override readonly name = 'BulkheadFullError';
}

/**
 * At most `maxConcurrent` calls under way at once. A call that finds every slot taken waits its
 * turn, first come first served, for up to `maxWaitMs`, then is turned away with
 * BulkheadFullError: a burst is smoothed out instead of failing, and a dependency that stays slow
 * still cannot pile up calls without bound.
 */
export class Bulkhead {
  private readonly slots: SemaphoreInterface;

  constructor(maxConcurrent: number, maxWaitMs: number) {
    this.slots = withTimeout(new Semaphore(maxConcurrent), maxWaitMs, E_TIMEOUT);
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    let release: () => void;
    try {
      [, release] = await this.slots.acquire();
    } catch (error) {
      if (error === E_TIMEOUT) throw new BulkheadFullError('every slot stayed taken for as long as the call may wait');
      throw error;
    }
    try {
      return await call();
    } finally {
      release();
    }
  }
}
