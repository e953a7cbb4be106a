import * as nodeModule from 'node:module';
import { join } from 'node:path';

/**
 * What `npm start` runs: the service (src/service.ts) as the build bundles it into one file,
 * dist/service.js (scripts/compile.cjs). With V8's code cache on, a start reads the bundle's
 * compiled code back instead of parsing its megabytes again (docs/decisions/0072). Node 22.1 has
 * the cache; on older Node the service starts without it.
 */
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// A file of the build, not a module of the sources: loaded by its path, after the cache is on.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(join(__dirname, '..', 'service.js'));
