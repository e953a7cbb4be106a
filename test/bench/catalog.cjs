'use strict';
// Catalog reads under load on PostgreSQL, with the built service on 127.0.0.1:
//  1. seeding: `catalog-seed --count N` (bulk import through the write model, then the search
//     index fed asynchronously by catalog's own events) into a database made for the run, timed
//     from outside by polling the indexing status counts of catalog.product; then
//     `catalog:reindex` (the same index rebuilt from the write model in one pass), timed over the
//     index the events wrote and again into an emptied index;
//  2. autocannon at --connections for --duration seconds each: GET /api/v1/products/:id over a
//     small hot set warmed first (cached), GET over distinct ids each asked once (uncached, every
//     request a cache miss, checked with the cache counters of /metrics), and search with words +
//     category + price range drawn from the seeded products;
//  3. run alone (not from suite.cjs, which measures it once for every scenario): the HTTP ceiling,
//     a bare Fastify route under the same load (ceilings.cjs), which the cached GET is held against.
// Fails when any response is not a 2xx. The database (and the run's Redis keys) are dropped at the end.
// Usage: npm run bench:catalog [-- --count 100000 --connections 50 --duration 15]
//   BENCH_DATABASE_URL  PostgreSQL server to create the run's database on
//                       (default postgres://postgres@127.0.0.1:5432/postgres)
//   REDIS_URL           when set, the service's L2 cache (keys under a prefix of this run only)
const os = require('node:os');
const { performance } = require('node:perf_hooks');
const process = require('node:process');
const { httpCeiling } = require('./ceilings.cjs');
const { deleteKeySpace } = require('../support/redis-key-space.cjs');
const bench = require('./service.cjs');

const SERVER_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || undefined;
const HOT_SET = 100;
const SEARCH_SAMPLES = 5000;
const REQUEST_TIMEOUT_S = 30;
const INDEXING_POLL_MS = 1000;

function options(argv) {
  const value = (name, fallback) => bench.wholeFlag(argv, name, fallback);
  const settings = { count: value('--count', 100_000), connections: value('--connections', 50), durationS: value('--duration', 15) };
  if (settings.count <= HOT_SET) throw new Error(`--count must be above the hot set of ${HOT_SET} products`);
  return settings;
}

function loadAverages() {
  const [oneMinute, fiveMinutes, fifteenMinutes] = os.loadavg().map((value) => bench.round(value, 2));
  return { oneMinute, fiveMinutes, fifteenMinutes };
}

function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function pick(items) {
  return items[Math.floor(Math.random() * items.length)];
}

/** catalog.product by indexing status; null until the seeder has migrated the database. */
function indexingCounts(databaseUrl) {
  try {
    const [[total, indexed, failed]] = bench.queryRows(
      databaseUrl,
      `SELECT count(*), count(*) FILTER (WHERE indexing_status = 'indexed'), count(*) FILTER (WHERE indexing_status = 'failed')
       FROM catalog.product`,
    );
    return { total: Number(total), indexed: Number(indexed), failed: Number(failed) };
  } catch (error) {
    if (/does not exist/.test(String(error.stderr))) return null;
    throw error;
  }
}

/**
 * `catalog-seed --count N`, polled every second from outside: when all N rows were in
 * catalog.product and when all were indexed, counted from the seeder's spawn (so including its
 * start-up), beside the seeder's own report of its insert loop.
 */
async function seed(databaseUrl, count, env) {
  const startedAt = performance.now();
  const seeder = bench.runBuiltScript('catalog-seed', ['--count', String(count)], env);
  const exited = seeder.done.then(() => true);
  const observed = { allInsertedS: null, allIndexedS: null };
  try {
    for (let ended = false; !ended; ) {
      ended = await Promise.race([exited, bench.sleep(INDEXING_POLL_MS, false)]);
      const counts = indexingCounts(databaseUrl);
      const seconds = bench.round((performance.now() - startedAt) / 1000, 1);
      if (observed.allInsertedS === null && counts?.total >= count) observed.allInsertedS = seconds;
      if (observed.allIndexedS === null && counts?.indexed >= count) observed.allIndexedS = seconds;
    }
  } finally {
    if (seeder.child.exitCode === null && seeder.child.signalCode === null) {
      seeder.child.kill('SIGTERM');
      // Its exit is an outcome of the error already on its way.
      await exited.catch(() => false);
    }
  }
  const processS = bench.round((performance.now() - startedAt) / 1000, 1);
  const output = await seeder.done;
  const report = /created (\d+) products in (\d+) ms .*?; (?:indexed after (\d+) ms|indexing stalled); (\d+) failed indexing/.exec(output);
  if (!report) throw new Error(`no report in the seeder's output:\n${output.slice(-4000)}`);
  const [, created, insertMs, indexedMs, failedIndexing] = report.map(Number);
  const counts = indexingCounts(databaseUrl);
  if (created !== count || counts.indexed !== count) {
    throw new Error(`seeding ended with ${created} created, ${counts.indexed} indexed, ${counts.failed} failed of ${count}`);
  }
  return {
    insertS: bench.round(insertMs / 1000, 1),
    insertedPerSecond: Math.round((created * 1000) / insertMs),
    indexedAfterS: Number.isNaN(indexedMs) ? null : bench.round(indexedMs / 1000, 1),
    failedIndexing,
    observed,
    seederProcessS: processS,
  };
}

/**
 * `catalog:reindex`: the whole search index rewritten from the write model, a page at a time. Over
 * the index the events wrote, every document is written again unchanged, and the terms' trigger
 * then writes no term rows; so it is run a second time into an emptied index, which writes every
 * document and its terms, as event indexing does.
 */
async function reindexes(databaseUrl, count, env) {
  const overIndexed = await reindex(databaseUrl, count, env);
  bench.queryRows(databaseUrl, 'TRUNCATE catalog.product_search, catalog.product_search_term');
  return { overIndexed, intoEmpty: await reindex(databaseUrl, count, env) };
}

async function reindex(databaseUrl, count, env) {
  const startedAt = performance.now();
  const output = await bench.runBuiltScript('replay', [], env).done;
  const processS = bench.round((performance.now() - startedAt) / 1000, 1);
  const report = /catalog\.product_search: rebuilt (\d+) in (\d+) ms/.exec(output);
  if (!report || Number(report[1]) !== count) throw new Error(`the reindex did not rebuild ${count} products:\n${output.slice(-4000)}`);
  const [[searchable]] = bench.queryRows(databaseUrl, 'SELECT count(*) FROM catalog.product_search');
  if (Number(searchable) !== count) throw new Error(`${searchable} of ${count} products are searchable after the reindex`);
  return { rebuildS: bench.round(Number(report[2]) / 1000, 1), perSecond: Math.round((count * 1000) / Number(report[2])), processS };
}

async function cacheCounters(port) {
  const metrics = await bench.metricSamples(port);
  const of = (namespace) => ({
    l1Hits: metrics.total('cache_hits_total', { namespace, level: 'l1' }),
    l2Hits: metrics.total('cache_hits_total', { namespace, level: 'l2' }),
    misses: metrics.total('cache_misses_total', { namespace }),
    loads: metrics.total('cache_loads_total', { namespace }),
  });
  return { product: of('catalog.product'), search: of('catalog.search') };
}

function counterChanges(before, after) {
  return Object.fromEntries(
    Object.entries(after).map(([namespace, counters]) => [
      namespace,
      Object.fromEntries(Object.entries(counters).map(([name, value]) => [name, value - before[namespace][name]])),
    ]),
  );
}

/**
 * One autocannon run of `requests` against the service for `settings.durationS` (and at most
 * `settings.maxRequests` requests), with the cache counters before and after.
 */
async function load(port, settings, requests) {
  const before = await cacheCounters(port);
  const result = await bench.hammer(port, {
    connections: settings.connections,
    durationS: settings.durationS,
    maxRequests: settings.maxRequests,
    timeoutS: REQUEST_TIMEOUT_S,
    requests,
  });
  return { ...result, cache: counterChanges(before, await cacheCounters(port)) };
}

async function expectOk(port, pathname) {
  const { status, body } = await bench.request(port, 'GET', pathname);
  if (status !== 200) throw new Error(`GET ${pathname}: ${status} ${JSON.stringify(body)}`);
  return body;
}

async function cachedReads(port, settings, hotIds) {
  for (const id of hotIds) await expectOk(port, `/api/v1/products/${id}`);
  let next = 0;
  return load(port, settings, [
    { method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/v1/products/${hotIds[next++ % hotIds.length]}` }) },
  ]);
}

/**
 * Every request takes the next id of the list, so no product is asked for twice; the run ends
 * early when the ids run out (a request in flight per connection spared).
 */
async function uncachedReads(port, settings, coldIds) {
  let next = 0;
  const result = await load(port, { ...settings, maxRequests: Math.max(1, coldIds.length - settings.connections) }, [
    { method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/v1/products/${coldIds[next++ % coldIds.length]}` }) },
  ]);
  const { l1Hits, l2Hits } = result.cache.product;
  if (next > coldIds.length || l1Hits + l2Hits > 0) {
    throw new Error(
      `uncached reads were not all cache misses: ${next} requests built over ${coldIds.length} ids, ` +
        `${l1Hits} L1 and ${l2Hits} L2 hits; use a larger --count or a shorter --duration`,
    );
  }
  return { ...result, distinctIds: { used: next, available: coldIds.length } };
}

/**
 * Words of a seeded product's name (brand, adjective, noun; a third of them cut to a prefix),
 * its category and a random price range around its price: every query matches at least that
 * product, and the random bounds make repeated queries (cached pages) rare.
 */
function searchPath(samples) {
  const [name, category, price] = pick(samples);
  const words = name.toLowerCase().split(/\s+/).filter((word) => /^[a-z]{3,}$/.test(word));
  const chosen = shuffled(words).slice(0, 1 + Math.floor(Math.random() * Math.min(2, words.length)));
  const q = chosen.map((word) => (Math.random() < 1 / 3 ? word.slice(0, Math.max(3, word.length - 2)) : word)).join(' ');
  const amount = Number(price);
  const minPrice = Math.floor(amount * (0.3 + Math.random() * 0.6));
  const maxPrice = Math.ceil(amount * (1.1 + Math.random() * 2));
  return `/api/v1/products?${new URLSearchParams({ q, category, minPrice: String(minPrice), maxPrice: String(maxPrice) })}`;
}

async function searches(port, settings, samples) {
  const pages = { empty: 0, degraded: 0 };
  const result = await load(port, settings, [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: searchPath(samples) }),
      onResponse: (status, body) => {
        if (body.startsWith('{"items":[]')) pages.empty++;
        if (body.includes('"degraded":true')) pages.degraded++;
      },
    },
  ]);
  return { ...result, pages };
}

async function measure(databaseUrl, settings, env, results) {
  results.seeding = await seed(databaseUrl, settings.count, env);
  bench.print(`seeded ${settings.count} products: ${JSON.stringify(results.seeding)}`);
  results.reindex = await reindexes(databaseUrl, settings.count, env);
  bench.print(`reindexed: ${JSON.stringify(results.reindex)}`);
  // The seeding and the reindex leave much of the database dirty in shared buffers; written back
  // now, so the read scenarios measure reads, not checkpoints of what seeding wrote.
  bench.queryRows(databaseUrl, 'CHECKPOINT');
  const ids = shuffled(bench.queryRows(databaseUrl, 'SELECT id FROM catalog.product').map(([id]) => id));
  const samples = bench.queryRows(databaseUrl, `SELECT name, category, price_amount FROM catalog.product ORDER BY random() LIMIT ${SEARCH_SAMPLES}`);
  const { service } = await bench.startService({ ...env, SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
  try {
    const readiness = await expectOk(service.port, '/health/ready');
    results.readiness = readiness;
    bench.print(`service pid ${service.child.pid} ready: ${JSON.stringify(readiness)}`);
    results.scenarios = {};
    results.scenarios.cached = await cachedReads(service.port, settings, ids.slice(0, HOT_SET));
    bench.print(`cached GET done: ${results.scenarios.cached.perSecond} req/s`);
    results.scenarios.uncached = await uncachedReads(service.port, settings, ids.slice(HOT_SET));
    bench.print(`uncached GET done: ${results.scenarios.uncached.perSecond} req/s`);
    results.scenarios.search = await searches(service.port, settings, samples);
  } catch (error) {
    process.stderr.write(`the service's last output:\n${service.output().slice(-4000)}\n`);
    throw error;
  } finally {
    results.serviceStop = await bench.stopService(service);
  }
}

function report(results) {
  const { seeding, reindex: rebuilt, scenarios } = results;
  bench.print(
    `seeding ${results.settings.count} products: inserted in ${seeding.insertS} s (${seeding.insertedPerSecond}/s), ` +
      `indexed by events after ${seeding.indexedAfterS} s (seen from outside: all rows at ${seeding.observed.allInsertedS} s, ` +
      `all indexed at ${seeding.observed.allIndexedS} s of the seeder's ${seeding.seederProcessS} s); ` +
      `catalog:reindex over that index ${rebuilt.overIndexed.rebuildS} s (${rebuilt.overIndexed.perSecond}/s, process ${rebuilt.overIndexed.processS} s), ` +
      `into an emptied index ${rebuilt.intoEmpty.rebuildS} s (${rebuilt.intoEmpty.perSecond}/s, process ${rebuilt.intoEmpty.processS} s)`,
  );
  const names = { cached: `GET /products/:id, ${HOT_SET} hot ids`, uncached: 'GET /products/:id, distinct ids', search: 'search words+category+price' };
  bench.print(
    bench.table(
      ['scenario', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors or timeouts', 'cache L1/L2 hits', 'cache misses'],
      Object.entries(scenarios).map(([name, s]) => {
        const cache = name === 'search' ? s.cache.search : s.cache.product;
        return [names[name], s.requests, s.perSecond, s.latencyMs.p50, s.latencyMs.p99, s.latencyMs.max, s.non2xx, s.errors, `${cache.l1Hits}/${cache.l2Hits}`, cache.misses];
      }),
    ),
  );
  if (results.httpCeiling) {
    const { perSecond, latencyMs } = results.httpCeiling;
    bench.print(
      `bare Fastify route (the HTTP ceiling, measured after the service stopped): ${perSecond} req/s, p99 ${latencyMs.p99} ms; ` +
        `cached GET at ${bench.round((100 * scenarios.cached.perSecond) / perSecond)} % of it`,
    );
  }
  bench.print(`search pages: ${scenarios.search.pages.empty} empty, ${scenarios.search.pages.degraded} degraded`);
  bench.print(`L2 Redis: ${results.redis}; load average before ${JSON.stringify(results.loadBefore)}, after ${JSON.stringify(results.loadAfter)}`);
}

async function main() {
  const settings = options(process.argv.slice(2));
  const name = `bench_catalog_${process.pid}_${Date.now()}`;
  const keyPrefix = `bench-catalog-${process.pid}-${Date.now()}`;
  const env = { NO_COLOR: '1', REDIS_URL, CACHE_KEY_PREFIX: keyPrefix };
  const results = {
    generatedAt: new Date().toISOString(),
    source: bench.source(),
    machine: bench.machine(),
    settings: { ...settings, hotSet: HOT_SET, searchSamples: SEARCH_SAMPLES },
    postgres: bench.postgresVersion(SERVER_URL),
    redis: REDIS_URL ? `on (${REDIS_URL})` : 'off (REDIS_URL not set)',
    loadBefore: loadAverages(),
  };
  const databaseUrl = bench.createDatabase(SERVER_URL, name);
  try {
    await measure(databaseUrl, settings, { ...env, DATABASE_URL: databaseUrl }, results);
    results.httpCeiling = await httpCeiling(settings);
  } finally {
    results.loadAfter = loadAverages();
    bench.dropDatabase(SERVER_URL, name);
    if (REDIS_URL) results.redisKeysDeleted = deleteKeySpace(REDIS_URL, keyPrefix);
  }
  report(results);
  bench.print(`written to ${bench.writeResults('catalog.json', results)}`);
  const failed = Object.entries(results.scenarios).filter(([, s]) => s.non2xx > 0 || s.errors > 0);
  if (failed.length > 0) {
    throw new Error(`responses other than 2xx: ${failed.map(([scenario, s]) => `${scenario} ${JSON.stringify(s.statusCodes)}, ${s.errors} errors (${s.timeouts} of them timeouts)`).join('; ')}`);
  }
}

module.exports = { HOT_SET, SEARCH_SAMPLES, cachedReads, measure };

bench.runIfMain(module, main);
