'use strict';
// `npm run bench`: every benchmark scenario in one bounded run, each figure beside the ceiling it
// is held against and the issue's target for it.
//  1. Ceilings, first: HTTP (a bare Fastify route, autocannon with the GET scenarios' connections
//     and duration) and commit (a pgbench-style order transaction from `pg`, one client per
//     connection for the same duration); see ceilings.cjs.
//  2. Scenarios, each on a database created for it and dropped afterwards: two bursts of --orders
//     orders on PostgreSQL (one process), the first to warm the process and the second measured,
//     the same split into four processes over librdkafka's mock cluster (only when kcat is on
//     PATH), the same on embedded PGlite (memory://); then the
//     catalog: --products products seeded and indexed through events, catalog:reindex, cached GET,
//     uncached GET and search under load (see orders.cjs, split.cjs, catalog.cjs). Each burst of
//     orders also reports the CPU an order cost the machine, by part (cpu.cjs), and, split over
//     Kafka, the requests its processes sent to the brokers an order (`kafka_requests_total`).
// Every order must be decided (none PENDING when the wait ends); any response other than a 2xx,
// or a 503 with Retry-After to POST /api/v1/orders (counted as refused), fails the run. A failed
// scenario does not stop the others; the exit code is 1 when any failed. Targets are reported,
// not enforced. Children are stopped by PID and databases dropped, also on failure and Ctrl-C.
// Prints one markdown table; the full results go to test/bench/results/suite-<timestamp>.json.
//
// Usage: npm run bench [-- --orders 2000 --products 20000 --connections 50 --duration 10
//                          --decide-timeout 300 --only orders-postgres,catalog]
//   each flag also as an environment variable: BENCH_ORDERS, BENCH_PRODUCTS, BENCH_CONNECTIONS,
//   BENCH_DURATION, BENCH_DECIDE_TIMEOUT, BENCH_ONLY (a flag wins over its variable)
//   BENCH_DATABASE_URL  the PostgreSQL server to create databases on
//                       (default postgres://postgres@127.0.0.1:5432/postgres)
//   REDIS_URL           when set, the services' L2 cache, under a key prefix of this run only
const os = require('node:os');
const { performance } = require('node:perf_hooks');
const process = require('node:process');
const { clearTimeout, setTimeout } = require('node:timers');
const bench = require('./service.cjs');
const catalog = require('./catalog.cjs');
const { commitCeiling, httpCeiling } = require('./ceilings.cjs');
const { orderBurst } = require('./orders.cjs');
const { kafkaMockUnavailable, startSplit } = require('./split.cjs');
const { deleteKeySpace } = require('../support/redis-key-space.cjs');

const SERVER_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || undefined;
const SCENARIOS = ['orders-postgres', 'orders-split', 'orders-embedded', 'catalog'];
const OPTIONS = {
  orders: { flag: '--orders', env: 'BENCH_ORDERS', fallback: 2000 },
  products: { flag: '--products', env: 'BENCH_PRODUCTS', fallback: 20_000 },
  connections: { flag: '--connections', env: 'BENCH_CONNECTIONS', fallback: 50 },
  durationS: { flag: '--duration', env: 'BENCH_DURATION', fallback: 10 },
  decideTimeoutS: { flag: '--decide-timeout', env: 'BENCH_DECIDE_TIMEOUT', fallback: 300 },
};
const RSS_TARGET_MB = 250;
const SEARCH_TARGET_PRODUCTS = 100_000;

function options(argv) {
  const raw = (flag, env) => {
    const at = argv.indexOf(flag);
    return at === -1 ? process.env[env] : argv[at + 1];
  };
  const settings = {};
  for (const [name, { flag, env, fallback }] of Object.entries(OPTIONS)) {
    const value = raw(flag, env);
    if (value !== undefined && value !== '' && !/^[1-9]\d*$/.test(value)) throw new Error(`${flag} (${env}) must be a positive whole number (got "${value}")`);
    settings[name] = value === undefined || value === '' ? fallback : Number(value);
  }
  const only = raw('--only', 'BENCH_ONLY');
  settings.scenarios = only ? only.split(',').map((name) => name.trim()) : SCENARIOS;
  const unknown = settings.scenarios.filter((name) => !SCENARIOS.includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown scenarios ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  if (settings.products <= catalog.HOT_SET) throw new Error(`--products must be above the hot set of ${catalog.HOT_SET} products`);
  if (settings.orders < settings.connections) throw new Error('--orders must be at least --connections');
  return settings;
}

/** How long each scenario may take before its children are stopped: above the bounds of every wait inside it. */
function scenarioBoundS(name, settings) {
  // Two bursts: the first warms the process, the second is measured.
  const ordersBound = 420 + 2 * settings.decideTimeoutS;
  const bounds = {
    'http-ceiling': settings.durationS + 90,
    'commit-ceiling': settings.durationS + 90,
    'orders-postgres': ordersBound,
    'orders-split': ordersBound + 60,
    'orders-embedded': ordersBound,
    catalog: 300 + Math.ceil(settings.products * 0.03) + 5 * settings.durationS,
  };
  return bounds[name];
}

/**
 * Runs one scenario into `results.scenarios[name]`: the 1-minute load average at its start, how
 * long it took, and `failed` with the reasons when it threw, reported problems or overran its bound.
 */
async function scenario(results, name, work) {
  const entry = { loadAverage1mAtStart: bench.round(os.loadavg()[0], 2), startedAt: new Date().toISOString() };
  results.scenarios[name] = entry;
  bench.print(`\n▶ ${name}: started at load average ${entry.loadAverage1mAtStart}`);
  const boundS = scenarioBoundS(name, results.settings);
  const startedAt = performance.now();
  let timer;
  const overrun = new Promise((_, reject) => {
    timer = setTimeout(() => {
      bench.stopChildren(5000).catch(() => {});
      reject(new Error(`${name} did not finish within its bound of ${boundS} s; its processes were stopped`));
    }, boundS * 1000);
  });
  try {
    Object.assign(entry, await Promise.race([work(), overrun]));
    entry.status = entry.skipped ? 'skipped' : entry.problems?.length ? 'failed' : 'ok';
  } catch (error) {
    entry.status = 'failed';
    entry.problems = [...(entry.problems ?? []), String(error.stack ?? error)];
  } finally {
    clearTimeout(timer);
  }
  entry.seconds = bench.round((performance.now() - startedAt) / 1000, 1);
  const detail = entry.status === 'skipped' ? `: ${entry.skipped}` : entry.status === 'failed' ? `:\n  ${entry.problems.join('\n  ')}` : '';
  bench.print(`■ ${name}: ${entry.status} after ${entry.seconds} s${detail}`);
  return entry;
}

/** Problems of autocannon runs (by label) that met anything but a 2xx: statuses, connection errors, timeouts. */
function responseProblems(runs) {
  return Object.entries(runs)
    .filter(([, run]) => run.non2xx > 0 || run.errors > 0)
    .map(([label, run]) => `${label}: responses other than 2xx ${JSON.stringify(run.statusCodes ?? {})}, ${run.errors} errors (${run.timeouts ?? 0} timeouts)`);
}

/**
 * `start()` resolves with { port, output(), stop() } and, over Kafka, `kafkaRequests()`; stop()
 * resolves with how each process stopped.
 */
async function orders(start, settings) {
  const deployment = await start();
  const burstSettings = { orders: settings.orders, connections: settings.connections, decideTimeoutMs: settings.decideTimeoutS * 1000 };
  let cold;
  let outcome;
  let stopped;
  let kafkaRequestsPerOrder;
  try {
    // The first burst after the start is reported, not measured: the process is still compiling
    // its hot paths. The measured burst finds it warm, as the ceilings are warmed and as a
    // service that has run a while is.
    cold = await orderBurst(deployment.port, burstSettings);
    const requestsBefore = await deployment.kafkaRequests?.();
    outcome = await orderBurst(deployment.port, burstSettings);
    if (requestsBefore) {
      const requestsAfter = await deployment.kafkaRequests();
      kafkaRequestsPerOrder = Object.fromEntries(
        Object.entries(requestsAfter).map(([api, count]) => [api, bench.round((count - (requestsBefore[api] ?? 0)) / settings.orders, 2)]),
      );
    }
  } catch (error) {
    process.stderr.write(`the service's last output:\n${deployment.output()}\n`);
    throw error;
  } finally {
    stopped = await deployment.stop();
  }
  const { accepted, burst } = outcome;
  const problems = [cold, outcome].flatMap(({ accepted: { failed, statusCodes, errors, timeouts } }, i) =>
    failed > 0
      ? [`POST /api/v1/orders, ${i === 0 ? 'first' : 'measured'} burst: ${failed} answers neither 202 nor 503 with Retry-After: ${JSON.stringify(statusCodes)}, ${errors} errors (${timeouts} timeouts)`]
      : [],
  );
  const rss = Object.values(stopped).map((stop) => stop.peakRssMB);
  const firstBurst = { accepted: cold.accepted, burst: cold.burst };
  return { accepted, burst, firstBurst, stopped, kafkaRequestsPerOrder, peakRssMB: rss.includes(null) ? null : Math.max(...rss), processes: rss.length, problems };
}

/** `kafka_requests_total` of every process, summed by Kafka API. */
async function kafkaRequestsOf(services) {
  const byApi = {};
  for (const service of services) {
    const { status, body } = await bench.request(service.port, 'GET', '/metrics');
    if (status !== 200) throw new Error(`GET /metrics answered ${status}`);
    for (const [, api, count] of body.matchAll(/^kafka_requests_total\{[^}]*api="(\w+)"[^}]*\} (\S+)$/gm)) byApi[api] = (byApi[api] ?? 0) + Number(count);
  }
  return byApi;
}

function oneProcess(env) {
  return async () => {
    const { service } = await bench.startService(env);
    return { port: service.port, output: () => service.output().slice(-4000), stop: async () => ({ service: await bench.stopService(service) }) };
  };
}

function splitOverKafka(databaseUrl, env) {
  return async () => {
    const { portFor, services, stop } = await startSplit(databaseUrl, env);
    const output = () =>
      Object.entries(services)
        .map(([role, service]) => `--- ${role}:\n${service.output().slice(-2000)}`)
        .join('\n');
    return { port: portFor, output, stop, kafkaRequests: () => kafkaRequestsOf(Object.values(services)) };
  };
}

async function catalogScenario(settings, env) {
  return bench.onNewDatabase(SERVER_URL, 'catalog', async (databaseUrl) => {
    const results = { products: settings.products };
    const catalogSettings = { count: settings.products, connections: settings.connections, durationS: settings.durationS };
    await catalog.measure(databaseUrl, catalogSettings, { ...env, DATABASE_URL: databaseUrl }, results);
    return { ...results, peakRssMB: results.serviceStop.peakRssMB, processes: 1, problems: responseProblems(results.scenarios) };
  });
}

// ---- the table -------------------------------------------------------------------------------

const number = (value, digits = 1) => (value === null || value === undefined ? '-' : value.toLocaleString('en-US', { maximumFractionDigits: digits }));
const ratio = (value, ceiling) => (value === null || value === undefined || !ceiling ? null : value / ceiling);
const percent = (fraction) => (fraction === null ? '-' : `${number(100 * fraction)} %`);
const met = (ok) => (ok === null ? '-' : ok ? 'yes' : '**no**');

function figureRows(results) {
  const s = results.scenarios;
  const http = s['http-ceiling']?.status === 'ok' ? s['http-ceiling'] : null;
  const commit = s['commit-ceiling']?.status === 'ok' ? s['commit-ceiling'] : null;
  const onePostgres = s['orders-postgres']?.status === 'ok' ? s['orders-postgres'] : null;
  const rows = [];
  const row = (scenarioName, figure, value, { ceiling = null, ceilingLabel = '', p99 = null, target = '-', ok = null, text } = {}) => {
    const fraction = ceiling === null ? null : ratio(value, ceiling.value);
    rows.push([
      scenarioName,
      figure,
      text ?? number(value),
      ceiling === null ? '-' : `${number(ceiling.value)} ${ceilingLabel}`,
      percent(fraction),
      p99 === null ? '-' : number(p99),
      target,
      met(typeof ok === 'function' ? ok(fraction) : ok),
    ]);
  };
  const httpCeilingValue = http && { value: http.perSecond };
  if (http) row('HTTP ceiling', 'bare Fastify GET, req/s', http.perSecond, { p99: http.latencyMs.p99 });
  if (commit) row('commit ceiling', `order transactions/s, ${commit.clients} clients`, commit.perSecond, { p99: commit.latencyMs.p99 });
  const ordersTargets = {
    'orders-postgres': {
      decided: ['≥ 1,000/s', (v) => v >= 1000],
      decidedCeiling: commit && { value: commit.perSecond, label: 'tx/s (commit)' },
      post: ['≥ 2,000/s, p99 ≤ 50 ms', (v, p99) => v >= 2000 && p99 <= 50],
    },
    'orders-split': {
      decided: ['≥ 70 % of one process', (_v, fraction) => (fraction === null ? null : fraction >= 0.7)],
      decidedCeiling: onePostgres && { value: onePostgres.burst.decidedPerSecond, label: '/s (one process)' },
      post: ['-', () => null],
    },
    'orders-embedded': {
      decided: ['≥ 200/s', (v) => v >= 200],
      decidedCeiling: null,
      post: ['p99 ≤ 250 ms', (_v, p99) => p99 <= 250],
    },
  };
  for (const [name, entry] of Object.entries(s)) {
    if (name.endsWith('ceiling')) {
      if (entry.status !== 'ok') row(name, entry.status.toUpperCase(), null, { text: firstLine(entry.problems) });
      continue;
    }
    if (entry.status === 'skipped') {
      row(name, 'SKIPPED', null, { text: entry.skipped });
      continue;
    }
    if (entry.status === 'failed') row(name, 'FAILED', null, { text: firstLine(entry.problems) });
    if (!entry.burst && !entry.seeding) continue;
    const targets = ordersTargets[name];
    if (targets) {
      const { accepted, burst } = entry;
      const decidedCeiling = targets.decidedCeiling && { value: targets.decidedCeiling.value };
      row(name, 'orders decided/s (burst start → none PENDING)', burst.decidedPerSecond, {
        ceiling: decidedCeiling,
        ceilingLabel: targets.decidedCeiling?.label,
        target: targets.decided[0],
        ok: (fraction) => targets.decided[1](burst.decidedPerSecond, fraction),
      });
      row(name, 'POST /api/v1/orders 202/s', accepted.acceptedPerSecond, {
        ceiling: httpCeilingValue,
        ceilingLabel: 'req/s (HTTP)',
        p99: accepted.latencyMs.p99,
        target: targets.post[0],
        ok: targets.post[1](accepted.acceptedPerSecond, accepted.latencyMs.p99),
      });
      row(name, 'orders sent: accepted (202) / refused (503)', null, { text: `${accepted.accepted} / ${accepted.refused}` });
      const first = entry.firstBurst;
      const firstRolledBack = first.burst.rolledBack.count;
      row(name, 'first burst after the start, not measured: orders decided/s, POST 202/s (p99)', null, {
        p99: first.accepted.latencyMs.p99,
        text: `${number(first.burst.decidedPerSecond)}, ${number(first.accepted.acceptedPerSecond)}${firstRolledBack > 0 ? `; **${firstRolledBack} ROLLED_BACK**` : ''}`,
        target: 'ROLLED_BACK = 0',
        ok: firstRolledBack === 0,
      });
      const cpu = burst.cpuMsPerOrder;
      if (cpu) {
        row(name, 'CPU ms an order: machine (service / PostgreSQL / load generator / broker / other)', cpu.total, {
          text: `${number(cpu.total, 2)} (${[cpu.service, cpu.postgres, cpu.load, cpu.kafka, cpu.other].map((ms) => number(ms, 2)).join(' / ')})`,
        });
      }
      const kafka = entry.kafkaRequestsPerOrder;
      if (kafka) {
        row(name, 'Kafka requests an order: Produce / Fetch / OffsetCommit (all)', null, {
          text: `${['Produce', 'Fetch', 'OffsetCommit'].map((api) => number(kafka[api] ?? 0, 2)).join(' / ')} (${number(Object.values(kafka).reduce((a, b) => a + b, 0), 2)})`,
        });
      }
      const rolledBack = burst.rolledBack.count;
      row(name, 'decided: CONFIRMED (all COMPLETED) / CANCELLED / REJECTED / ROLLED_BACK', null, {
        text: `${burst.confirmed} / ${burst.cancelled.count} / ${burst.rejected.count} / ${rolledBack > 0 ? `**${rolledBack} ROLLED_BACK**` : 0}`,
        target: 'ROLLED_BACK = 0',
        ok: rolledBack === 0,
      });
    } else {
      catalogRows(entry, row, httpCeilingValue);
    }
    const processes = entry.processes > 1 ? `, largest of ${entry.processes} processes` : '';
    row(name, `service peak RSS, MB${processes}`, entry.peakRssMB, { target: `≤ ${RSS_TARGET_MB} MB`, ok: entry.peakRssMB === null ? null : entry.peakRssMB <= RSS_TARGET_MB });
  }
  return rows;
}

function catalogRows(entry, row, httpCeilingValue) {
  const { seeding, reindex, scenarios = {} } = entry;
  const products = entry.products;
  if (seeding) {
    const indexedPerSecond = seeding.indexedAfterS ? products / seeding.indexedAfterS : null;
    row('catalog', `event indexing, products/s (${number(products)}, first insert → none pending)`, indexedPerSecond, {
      target: '≥ 5,000/s',
      ok: indexedPerSecond === null ? null : indexedPerSecond >= 5000,
    });
    row('catalog', 'bulk insert, products/s', seeding.insertedPerSecond);
  }
  if (reindex) {
    row('catalog', 'catalog:reindex over the events\' index (documents unchanged, no term written), products/s', reindex.overIndexed.perSecond);
    row('catalog', 'catalog:reindex into an emptied index (every document and term written), products/s', reindex.intoEmpty.perSecond);
  }
  const load = (run, figure, target, ok) =>
    run &&
    row('catalog', figure, run.perSecond, {
      ceiling: httpCeilingValue,
      ceilingLabel: 'req/s (HTTP)',
      p99: run.latencyMs.p99,
      target,
      ok: (fraction) => ok(run, fraction),
    });
  load(scenarios.cached, `cached GET /api/v1/products/:id (${catalog.HOT_SET} hot ids), req/s`, '≥ 60 % of bare Fastify, p99 ≤ 10 ms', (run, fraction) =>
    fraction === null ? null : fraction >= 0.6 && run.latencyMs.p99 <= 10,
  );
  const distinct = scenarios.uncached?.distinctIds;
  const uncachedFigure = `uncached GET /api/v1/products/:id (${number(distinct?.used)} distinct ids in ${number(scenarios.uncached?.seconds)} s), req/s`;
  load(scenarios.uncached, uncachedFigure, '≥ 3,000/s', (run) => run.perSecond >= 3000);
  load(
    scenarios.search,
    `search words+category+price at ${number(products)} products, req/s`,
    `≥ 1,000/s, p99 ≤ 30 ms at ${number(SEARCH_TARGET_PRODUCTS)} products`,
    (run) => run.perSecond >= 1000 && run.latencyMs.p99 <= 30,
  );
}

function firstLine(problems = []) {
  return (problems[0] ?? 'unknown').split('\n')[0].replace(/\|/g, '/').slice(0, 200);
}

function markdownTable(headers, rows) {
  const line = (cells) => `| ${cells.map((cell) => String(cell).replace(/\|/g, '/')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function report(results, rows) {
  const s = results.scenarios;
  bench.print('');
  bench.print(
    `## npm run bench — ${results.source.label}, ${results.generatedAt}, ${results.machine.cpus} × ${results.machine.cpuModel}, ` +
      `Node ${results.machine.node}, PostgreSQL ${results.postgres}, L2 Redis ${results.redis}`,
  );
  bench.print(
    `orders ${results.settings.orders} per burst from ${results.settings.connections} connections; products ${results.settings.products}; ` +
      `GET and ceiling runs ${results.settings.durationS} s at ${results.settings.connections} connections`,
  );
  bench.print('');
  bench.print(markdownTable(['scenario', 'figure', 'value', 'ceiling', 'ratio to ceiling', 'p99 ms', 'target', 'target met'], rows));
  bench.print('');
  for (const [name, entry] of Object.entries(s)) {
    bench.print(`- ${name}: ${entry.status}, ${entry.seconds} s, load average (1 min) at start ${entry.loadAverage1mAtStart}${entry.skipped ? ` — ${entry.skipped}` : ''}`);
  }
  for (const [name, entry] of Object.entries(s)) {
    for (const [label, burst] of [['the first burst', entry.firstBurst?.burst], ['the measured burst', entry.burst]]) {
      const rolledBack = burst?.rolledBack;
      if (rolledBack?.count > 0) {
        bench.print(`\n**⚠ ${name}, ${label}: ${rolledBack.count} orders ROLLED_BACK — paying customers lost.** Reasons: ${JSON.stringify(rolledBack.reasons)}`);
      }
    }
  }
}

async function main() {
  const settings = options(process.argv.slice(2));
  const keyPrefix = `bench-suite-${process.pid}-${Date.now()}`;
  bench.cleanUpOnSignals(() => REDIS_URL && deleteKeySpace(REDIS_URL, keyPrefix));
  // The seeder and the reindex log their reports at the default level; services run at warn.
  const env = { NO_COLOR: '1', REDIS_URL, CACHE_KEY_PREFIX: keyPrefix };
  const serviceEnv = { ...env, SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  const results = {
    generatedAt: new Date().toISOString(),
    source: bench.source(),
    machine: bench.machine(),
    settings: { ...settings, server: SERVER_URL },
    postgres: bench.postgresVersion(SERVER_URL),
    redis: REDIS_URL ? `on (${REDIS_URL})` : 'off (REDIS_URL not set)',
    scenarios: {},
  };
  bench.print(`npm run bench at ${results.source.label}: ${JSON.stringify(settings)}`);
  try {
    await scenario(results, 'http-ceiling', async () => {
      const result = await httpCeiling(settings);
      return { ...result, problems: responseProblems({ 'GET /bare/:id': result }) };
    });
    await scenario(results, 'commit-ceiling', () => bench.onNewDatabase(SERVER_URL, 'ceiling', (url) => commitCeiling(url, settings)));
    const run = (name, work) => (settings.scenarios.includes(name) ? scenario(results, name, work) : null);
    await run('orders-postgres', () => bench.onNewDatabase(SERVER_URL, 'orders', (url) => orders(oneProcess({ ...serviceEnv, DATABASE_URL: url }), settings)));
    const noKafka = kafkaMockUnavailable();
    await run('orders-split', async () =>
      noKafka ? { skipped: noKafka } : bench.onNewDatabase(SERVER_URL, 'split', (url) => orders(splitOverKafka(url, serviceEnv), settings)),
    );
    await run('orders-embedded', () => orders(oneProcess({ ...serviceEnv, DATABASE_URL: undefined, DATA_DIR: 'memory://' }), settings));
    await run('catalog', () => catalogScenario(settings, env));
  } finally {
    await bench.stopChildren();
    bench.dropCreatedDatabases();
    if (REDIS_URL) results.redisKeysDeleted = deleteKeySpace(REDIS_URL, keyPrefix);
  }
  const rows = figureRows(results);
  results.table = rows;
  results.failed = Object.entries(results.scenarios)
    .filter(([, entry]) => entry.status === 'failed')
    .map(([name]) => name);
  report(results, rows);
  const stamp = results.generatedAt.replace(/[:.]/g, '-');
  bench.print(`\nwritten to ${bench.writeResults(`suite-${stamp}.json`, results)}`);
  if (results.failed.length > 0) throw new Error(`failed: ${results.failed.join(', ')}`);
}

bench.runIfMain(module, main);
