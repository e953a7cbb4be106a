import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { SchedulerRegistry } from '@nestjs/schedule';

const background = new AsyncLocalStorage<true>();
/** The context of no request and no message: made when this module loads, before there is either. */
const noCaller = new AsyncResource('BackgroundWork');

/**
 * Marks work no caller is waiting for (message delivery, sweeps), so that a database with one
 * session (the embedded one) serves requests first and this work in between.
 */
export const BackgroundWork = {
  /**
   * Runs `work` as background work and as nobody's: started while a request or an inbound message
   * is handled, it does not take on that caller's context. A unit of work in it would otherwise
   * record the caller's inbound message in the inbox as its own, and the message's own handling
   * would then be skipped as already done (docs/faults.md, the capture lost to a circuit's close).
   */
  run<T>(work: () => T): T {
    return noCaller.runInAsyncScope(() => background.run(true, work));
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
