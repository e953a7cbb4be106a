import { DataDirectoryLockedError } from '../libs/persistence/data-directory-lock';
import { assertConfiguredDataDirectoryFree } from './held-data-directory';

// Imported first by service.ts, so a second service on a held data directory stops before anything
// heavy loads, with the one line the start-up reporter would print for the same error.
try {
  assertConfiguredDataDirectoryFree();
} catch (error) {
  if (!(error instanceof DataDirectoryLockedError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
