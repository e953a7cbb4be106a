import { AsyncLocalStorage } from 'node:async_hooks';
import type { SchedulerRegistry } from '@nestjs/schedule';

const background = new AsyncLocalStorage<true>();

/**
 * Marks work no caller is waiting for (message delivery, sweeps), so that a database with one
 * session (the embedded one) serves requests first and this work in between.
 */
export const BackgroundWork = {
  run<T>(work: () => T): T {
    return background.run(true, work);
  },

  active(): boolean {
    return background.getStore() === true;
  },
};

/**
 * A scheduled job: `work` every `intervalMs` as background work, never two runs at once,
 * registered with Nest's scheduler under `name`. Stopping waits for the run under way.
 */
export class PeriodicWork {
  private running?: Promise<void>;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly name: string,
  ) {}

  start(intervalMs: number, work: () => Promise<void>): void {
    const timer = setInterval(() => {
      this.running ??= BackgroundWork.run(work).finally(() => (this.running = undefined));
    }, intervalMs);
    this.scheduler.addInterval(this.name, timer);
  }

  async stop(): Promise<void> {
    this.scheduler.deleteInterval(this.name);
    await this.running;
  }
}
