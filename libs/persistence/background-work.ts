import { AsyncLocalStorage } from 'node:async_hooks';

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
