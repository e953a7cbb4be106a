'use strict';
// Writes the ready-made embedded cluster (libs/persistence/ready-made-cluster.ts) into dist/: a
// throwaway PGlite database that went through initdb and every migration, saved as a tarball.
// Needs the compiled code (scripts/compile.cjs runs first); `npm run build` runs both.
// Usage: node scripts/embedded-cluster.cjs [--if-stale]
//   --if-stale: only when there is no cluster yet or a compiled migration is newer than it (the
//   test suites' global setup, so that an edited migration never meets a cluster made before it).
const { existsSync, readdirSync, rmSync, statSync } = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const process = require('node:process');

const DIST = path.resolve(__dirname, '..', 'dist');
const { createDataSource, embeddedDatabaseOf } = require(path.join(DIST, 'libs', 'persistence', 'data-source.factory'));
const { READY_MADE_CLUSTER_FILE, saveReadyMadeCluster } = require(path.join(DIST, 'libs', 'persistence', 'ready-made-cluster'));
const { MIGRATIONS } = require(path.join(DIST, 'migrations'));

/** The newest modification time of the compiled migrations, in ms. */
function newestMigration(dir = path.join(DIST, 'migrations')) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMigration(file) : statSync(file).mtimeMs);
  }
  return newest;
}

const isCurrent = () => existsSync(READY_MADE_CLUSTER_FILE) && statSync(READY_MADE_CLUSTER_FILE).mtimeMs >= newestMigration();

async function main() {
  if (process.argv.includes('--if-stale') && isCurrent()) return;
  const startedAt = performance.now();
  process.stdout.write('making the ready-made embedded cluster (initdb and migrations)\n');
  // Made from scratch, never from an earlier ready-made cluster; and none is left if this fails.
  rmSync(READY_MADE_CLUSTER_FILE, { force: true });
  const dataSource = await createDataSource({ dataDir: 'memory://', migrations: MIGRATIONS, fromScratch: true });
  try {
    const file = await saveReadyMadeCluster(embeddedDatabaseOf(dataSource));
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)} in ${Math.round(performance.now() - startedAt)} ms\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
