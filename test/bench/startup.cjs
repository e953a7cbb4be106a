'use strict';
// Start-to-ready time of the built service (`node dist/src/main.js`, what `npm start` runs after
// the compile): spawn → GET /health/ready answers 200, polled every 20 ms. First start on an empty
// database (migrations, and the demo seed on the embedded one), then warm starts on the same one.
// The embedded first start loads the ready-made cluster when `npm run build` made one, else runs
// PGlite's initdb; the output says which.
// Usage: npm run measure:startup   (BENCH_POSTGRES_URL: the server to create a throwaway database
// on, default postgres://postgres@127.0.0.1:5432/postgres; set it empty to skip PostgreSQL)
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const process = require('node:process');
const bench = require('./service.cjs');

const WARM_STARTS = 3;
const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function timedStart(env) {
  const { service, readyMs } = await bench.startService(env);
  const { stopMs, code, signal } = await bench.stopService(service);
  return {
    readyMs: bench.round(readyMs),
    loggedReadyMs: bench.loggedReadyMs(service.output()),
    stopMs: bench.round(stopMs),
    exit: signal ?? code,
  };
}

async function firstAndWarmStarts(env) {
  const firstStart = await timedStart(env);
  const warmStarts = [];
  for (let run = 0; run < WARM_STARTS; run++) warmStarts.push(await timedStart(env));
  return { firstStart, warmStarts, warmMedianReadyMs: bench.round(bench.median(warmStarts.map((s) => s.readyMs))) };
}

/** What the embedded first start begins from. */
function embeddedCluster() {
  const { READY_MADE_CLUSTER_FILE } = require('../../dist/libs/persistence/ready-made-cluster');
  return existsSync(READY_MADE_CLUSTER_FILE) ? `ready-made ${path.basename(READY_MADE_CLUSTER_FILE)}` : 'initdb (no ready-made cluster: npm run build makes it)';
}

async function embedded() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'commerce-bench-'));
  try {
    const firstCluster = embeddedCluster();
    return { dataDir: 'fresh temporary directory', firstCluster, ...(await firstAndWarmStarts({ DATABASE_URL: undefined, DATA_DIR: dataDir })) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgres() {
  const name = `bench_startup_${process.pid}_${Date.now()}`;
  let databaseUrl;
  try {
    databaseUrl = bench.createDatabase(POSTGRES_SERVER, name);
  } catch (error) {
    return { skipped: `cannot create a database on ${POSTGRES_SERVER}: ${String(error.stderr ?? error.message).trim()}` };
  }
  try {
    return { server: bench.postgresVersion(databaseUrl), ...(await firstAndWarmStarts({ DATABASE_URL: databaseUrl })) };
  } finally {
    bench.dropDatabase(POSTGRES_SERVER, name);
  }
}

function rows(label, result) {
  if (result.skipped) return [[label, 'skipped', null, null, null]];
  return [
    [label, 'first start', result.firstStart.readyMs, result.firstStart.loggedReadyMs, result.firstStart.stopMs],
    ...result.warmStarts.map((start, index) => [label, `warm start ${index + 1}`, start.readyMs, start.loggedReadyMs, start.stopMs]),
    [label, 'warm median', result.warmMedianReadyMs, null, null],
  ];
}

async function main() {
  const results = { generatedAt: new Date().toISOString(), source: bench.source(), machine: bench.machine() };
  results.embedded = await embedded();
  results.postgres = POSTGRES_SERVER === '' ? { skipped: 'BENCH_POSTGRES_URL is empty' } : await postgres();
  bench.print(
    bench.table(
      ['database', 'start', 'ready ms', 'logged "ready in" ms', 'SIGTERM→exit ms'],
      [...rows('embedded PGlite', results.embedded), ...rows('PostgreSQL', results.postgres)],
    ),
  );
  bench.print(`embedded first start from: ${results.embedded.firstCluster}`);
  if (results.postgres.skipped) bench.print(`PostgreSQL skipped: ${results.postgres.skipped}`);
  bench.print(`written to ${bench.writeResults('startup.json', results)}`);
}

main()
  .catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => bench.agent.destroy());
