interface Waiting<T, R> {
  items: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs `work` one call at a time. Whatever is submitted while a call runs waits, and the next
 * call takes all of it together (group commit): under load the calls grow instead of queueing
 * behind each other's locks. `work` answers each submission in the order given.
 */
export class CoalescingQueue<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private running = false;

  constructor(private readonly work: (submissions: T[]) => Promise<R[]>) {}

  submit(items: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const taken = this.waiting;
      this.waiting = [];
      try {
        const results = await this.work(taken.map((w) => w.items));
        taken.forEach((w, i) => w.resolve(results[i]));
      } catch (error) {
        taken.forEach((w) => w.reject(error));
      }
    }
    this.running = false;
  }
}
