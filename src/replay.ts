import 'reflect-metadata';
import { runCommand } from './command-line';

/** `npm run replay`: rebuilds every read model from its source of truth (e.g. order events). */
runCommand(async (config) => {
  // Loaded only once the data directory is known to be free: loading takes seconds.
  const { Logger } = await import('@nestjs/common');
  const { progressOnStderr } = await import('../libs/progress');
  const { createCliContext } = await import('./cli-context');
  const { rebuildReadModels } = await import('../libs/persistence');
  const app = await createCliContext(config);
  try {
    for (const { name, rebuilt, ms } of await rebuildReadModels(app, progressOnStderr('Replay'))) {
      new Logger('Replay').log(`${name}: rebuilt ${rebuilt} in ${ms} ms`);
    }
  } finally {
    await app.close();
  }
});
