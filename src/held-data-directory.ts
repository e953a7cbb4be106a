import { assertDataDirectoryFree } from '../libs/persistence/data-directory-lock';

/** Where the embedded database lives when DATA_DIR is not set. */
export const DEFAULT_DATA_DIR = './data';

/**
 * Throws DataDirectoryLockedError when the embedded data directory the configuration will name
 * is held by a live process. It reads DATABASE_URL and DATA_DIR straight from the environment,
 * as loadConfig does, because the configuration module and the application take seconds to
 * load and a refusal should not; the DataSource factory still takes the lock itself.
 */
export function assertConfiguredDataDirectoryFree(env: NodeJS.ProcessEnv = process.env): void {
  if (env.DATABASE_URL) return;
  const dataDir = env.DATA_DIR || DEFAULT_DATA_DIR;
  if (!dataDir.startsWith('memory://')) assertDataDirectoryFree(dataDir);
}
