import { isStartupError, StartupError } from '../libs/startup';
import type { AppConfig } from './config/app-config';
import { assertConfiguredDataDirectoryFree } from './held-data-directory';

/** A command-line option out of its shape or range. */
export class UsageError extends StartupError {}

/**
 * Runs an operations command (`npm run replay`, `catalog:seed`) on the configured database.
 * On an embedded database a running service holds the data directory, and only one process may
 * open it: the command refuses at once, before it loads the application. A failure the user can
 * act on (marked `userFacing`) prints as one line; any failure exits non-zero.
 */
export function runCommand(job: (config: AppConfig) => Promise<void>): void {
  // Everything else loads after the check: the job imports Nest and the application itself.
  const run = async (): Promise<void> => {
    assertConfiguredDataDirectoryFree();
    const { loadConfig } = await import('./config/app-config');
    const config = loadConfig({ ...process.env, SEED_DEMO: 'false' });
    // A command's statements may rightly run long (a reindex's VACUUM, a seed's batches), and someone is watching it.
    await job({ ...config, database: { ...config.database, queryTimeoutMs: undefined } });
  };
  run().catch((error: unknown) => {
    const report = isStartupError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${report}\n`);
    process.exit(1);
  });
}
