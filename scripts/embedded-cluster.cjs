'use strict';
// Writes the ready-made embedded cluster (libs/persistence/ready-made-cluster.ts) into dist/: a
// throwaway PGlite database that went through initdb and every migration, saved as a tarball.
// Needs the compiled code (scripts/compile.cjs runs first); `npm run build` runs both.
const { rmSync } = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const process = require('node:process');

const DIST = path.resolve(__dirname, '..', 'dist');
const { createDataSource } = require(path.join(DIST, 'libs', 'persistence', 'data-source.factory'));
const { READY_MADE_CLUSTER_FILE, saveReadyMadeCluster } = require(path.join(DIST, 'libs', 'persistence', 'ready-made-cluster'));
const { MIGRATIONS } = require(path.join(DIST, 'migrations'));
const { getPGliteInstance } = require('typeorm-pglite');

async function main() {
  const startedAt = performance.now();
  process.stdout.write('making the ready-made embedded cluster (initdb and migrations)\n');
  // Made from scratch: never from an earlier ready-made cluster.
  rmSync(READY_MADE_CLUSTER_FILE, { force: true });
  const dataSource = await createDataSource({ dataDir: 'memory://', migrations: MIGRATIONS });
  try {
    const file = await saveReadyMadeCluster(await getPGliteInstance());
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)} in ${Math.round(performance.now() - startedAt)} ms\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
