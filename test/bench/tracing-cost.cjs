'use strict';
// What tracing costs a request: cached GET /api/v1/products/:id (the catalog's hot path, which
// opens a server span before Nest) under autocannon, on the built service with tracing off and on
// (OTLP/HTTP to a sink in this process that counts what it receives), in alternating rounds on one
// database, so that both see the same machine. Metrics are always on (the service has no switch),
// so their per-request cost is timed on its own: the counter increment and histogram observation
// each answered request costs, with the service's labels, a million times in this process. Prints
// req/s and p99 per round, the ratio of the medians (on over off), and the metrics' ns per request.
// Usage: npm run bench:tracing [-- --rounds 3 --connections 50 --duration 10]
//   BENCH_DATABASE_URL  PostgreSQL server to create the run's database on
//                       (default postgres://postgres@127.0.0.1:5432/postgres)
const { createServer } = require('node:http');
const { Counter, Histogram, Registry } = require('prom-client');
const process = require('node:process');
const bench = require('./service.cjs');
const { cachedReads, HOT_SET } = require('./catalog.cjs');

const SERVER_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

function options(argv) {
  const value = (name, fallback) => bench.wholeFlag(argv, name, fallback);
  return { rounds: value('--rounds', 3), connections: value('--connections', 50), durationS: value('--duration', 10) };
}

/** An OTLP/HTTP endpoint that accepts every export and counts the requests and bytes. */
async function otlpSink() {
  const received = { requests: 0, bytes: 0 };
  const server = createServer((request, response) => {
    request.on('data', (chunk) => (received.bytes += chunk.length));
    request.on('end', () => {
      received.requests++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, url: `http://127.0.0.1:${server.address().port}` };
}

/** What `instrumentHttp` records per answered request, timed: ns per request, the median of three million-call runs. */
function metricsNsPerRequest() {
  const registers = [new Registry()];
  const labelNames = ['method', 'route', 'status_class'];
  const requests = new Counter({ name: 'http_requests_total', help: 'requests', labelNames, registers });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'duration',
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const calls = 1_000_000;
  const runs = [0, 1, 2].map(() => {
    const startedAt = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) {
      const labels = { method: 'GET', route: '/api/v1/products/:id', status_class: '2xx' };
      requests.inc(labels);
      duration.observe(labels, 0.002);
    }
    return Number(process.hrtime.bigint() - startedAt) / calls;
  });
  return bench.round(bench.median(runs));
}

async function round(databaseUrl, settings, tracing, sink, hotIds) {
  const env = { DATABASE_URL: databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'warn', ...(tracing && { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }) };
  const { service } = await bench.startService(env);
  try {
    const result = await cachedReads(service.port, settings, hotIds);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`cached GET answered ${result.non2xx} non-2xx and ${result.errors} errors`);
    return { tracing, perSecond: result.perSecond, p99: result.latencyMs.p99, peakRssMB: service.peakRssMB() };
  } finally {
    await bench.stopService(service);
  }
}

async function main() {
  const settings = options(process.argv.slice(2));
  const sink = await otlpSink();
  try {
    await bench.onNewDatabase(SERVER_URL, 'tracing', async (databaseUrl) => {
      await bench.runBuiltScript('catalog-seed', ['--count', String(HOT_SET)], { DATABASE_URL: databaseUrl }).done;
      const hotIds = bench.queryRows(databaseUrl, 'SELECT id FROM catalog.product').map(([id]) => id);
      const rounds = [];
      for (let i = 0; i < settings.rounds; i++) {
        for (const tracing of [false, true]) {
          rounds.push(await round(databaseUrl, settings, tracing, sink, hotIds));
          bench.print(`round ${i + 1}, tracing ${tracing ? 'on' : 'off'}: ${JSON.stringify(rounds.at(-1))}`);
        }
      }
      const medianOf = (tracing) => bench.median(rounds.filter((r) => r.tracing === tracing).map((r) => r.perSecond));
      const [off, on] = [bench.round(medianOf(false)), bench.round(medianOf(true))];
      bench.print(
        bench.table(
          ['tracing', 'cached GET req/s per round', 'p99 ms per round', 'median req/s'],
          [false, true].map((tracing) => {
            const mine = rounds.filter((r) => r.tracing === tracing);
            return [tracing ? 'on' : 'off', mine.map((r) => r.perSecond).join(', '), mine.map((r) => r.p99).join(', '), tracing ? on : off];
          }),
        ),
      );
      bench.print(`tracing on / off: ${bench.round((100 * on) / off)} % of the req/s; the sink received ${sink.received.requests} exports, ${sink.received.bytes} bytes`);
      const metricsNs = metricsNsPerRequest();
      bench.print(`HTTP metrics per request: ${metricsNs} ns, ${bench.round((metricsNs * off) / 1e7, 2)} % of a cached GET's time at ${off} req/s on one core`);
      const results = { machine: bench.machine(), source: bench.source(), settings, rounds, ratio: on / off, sink: sink.received, metricsNs };
      bench.print(`written to ${bench.writeResults('tracing-cost.json', results)}`);
    });
  } finally {
    sink.server.close();
    await bench.stopChildren();
  }
}

bench.runIfMain(module, main);
