import 'reflect-metadata';
import { runCommand, UsageError } from './command-line';

/** The value after `--name`, a whole number within [min, max]; null when the option is absent. */
function wholeNumberOption(argv: string[], name: string, min: number, max: number): number | null {
  const at = argv.indexOf(name);
  if (at === -1) return null;
  const raw = argv[at + 1];
  const value = Number(raw);
  if (!/^\d+$/.test(raw ?? '') || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

const argv = process.argv.slice(2);

/**
 * `npm run catalog:seed -- --count 100000 [--index-timeout <seconds>]`: generated products through
 * the bulk import, then waits (bounded) until they are indexed.
 */
runCommand(async (config) => {
  const count = wholeNumberOption(argv, '--count', 1, 10_000_000) ?? 1000;
  const timeoutSeconds = wholeNumberOption(argv, '--index-timeout', 1, 7 * 24 * 3600);
  // Loaded only once the data directory is known to be free: loading takes seconds.
  const { Logger } = await import('@nestjs/common');
  const { progressOnStderr } = await import('../libs/progress');
  const { createCliContext } = await import('./cli-context');
  const { seedCatalog } = await import('./modules/catalog');
  const app = await createCliContext(config);
  try {
    const { created, insertMs, indexedMs, failedIndexing } = await seedCatalog(app, {
      count,
      indexTimeoutMs: timeoutSeconds === null ? undefined : timeoutSeconds * 1000,
      progress: progressOnStderr('CatalogSeed'),
    });
    new Logger('CatalogSeed').log(
      `created ${created} products in ${insertMs} ms (${Math.round((created * 1000) / Math.max(insertMs, 1))}/s); ` +
        `indexed after ${indexedMs} ms; ${failedIndexing} failed indexing`,
    );
  } finally {
    await app.close();
  }
});
