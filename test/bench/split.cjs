'use strict';
// Orders confirmed end to end, the service as one process against the same service split into
// four processes over Kafka (edge: ordering, catalog, identity; inventory; payments; notifications and receipts), in
// one run on the same PostgreSQL server, each on a database of its own. The broker is librdkafka's
// mock cluster (3 brokers) started through kcat. Each order is timed from its POST until
// GET /api/v1/orders/:id says CONFIRMED, a fixed number in flight.
// Usage: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:split
const { execFileSync, spawn } = require('node:child_process');
const { generateKeyPairSync } = require('node:crypto');
const process = require('node:process');
const { clearTimeout, setTimeout } = require('node:timers');
const bench = require('./service.cjs');
const { endToEnd, firstConfirmedOrder, orderOf, shop } = require('./order-flow.cjs');

const SETTINGS = { orders: 300, inFlight: 20, kafkaMaxWaitMs: 100 };
const ROLES = { edge: 'ordering,catalog,identity', inventory: 'inventory', payments: 'payments', notifications: 'notifications,receipts' };
const ROUTES = { products: 'edge', orders: 'edge', notifications: 'notifications', nft: 'notifications', inventory: 'inventory', payments: 'payments' };

/** Why no mock Kafka cluster can be started here, or undefined when it can. */
function kafkaMockUnavailable() {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'kcat is not on PATH (apt-get install -y kcat), so no Kafka-protocol broker can be started';
  }
}

/** librdkafka's mock cluster; resolves with its bootstrap servers once kcat has printed them. */
function startKafkaMock(timeoutMs = 10_000) {
  const child = bench.track(
    spawn('kcat', ['-b', '127.0.0.1:9', '-X', 'test.mock.num.brokers=3', '-d', 'mock', '-C', '-t', '__keepalive'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`kcat printed no bootstrap servers within ${timeoutMs} ms: ${log.slice(-2000)}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`kcat exited ${code}: ${log.slice(-2000)}`)));
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const found = /bootstrap\.servers=([\d.:,]+)/.exec(log);
      if (!found) return;
      clearTimeout(timer);
      child.stderr.removeAllListeners('data');
      child.stderr.resume();
      resolve({ brokers: found[1], stop: () => child.kill('SIGTERM') });
    });
  });
}

async function measure(label, port) {
  const { productId, customers } = await shop(port, SETTINGS.inFlight);
  await firstConfirmedOrder(port, orderOf(productId), customers[0]);
  const result = await endToEnd(port, orderOf(productId), customers, { count: SETTINGS.orders, inFlight: SETTINGS.inFlight });
  return { topology: label, ...result };
}

async function oneProcess(databaseUrl) {
  const { service } = await bench.startService({ DATABASE_URL: databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
  try {
    return await measure('one process', service.port);
  } finally {
    await bench.stopService(service);
  }
}

/**
 * The mock cluster and the four processes on `databaseUrl` (`env` added to theirs). `portFor`
 * sends a path to the process serving it; `stop()` stops them all and returns how each stopped.
 */
async function startSplit(databaseUrl, env = {}) {
  const kafka = await startKafkaMock();
  const services = {};
  const stop = async () => {
    const stopped = {};
    for (const [role, service] of Object.entries(services)) stopped[role] = await bench.stopService(service);
    kafka.stop();
    return stopped;
  };
  // One key for all: the edge seals payment tokens that the payments process opens.
  const paymentMethodKey = generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' });
  try {
    for (const [role, modules] of Object.entries(ROLES)) {
      const roleEnv = {
        DATABASE_URL: databaseUrl,
        SEED_DEMO: 'false',
        LOG_LEVEL: 'warn',
        MODULES: modules,
        KAFKA_BROKERS: kafka.brokers,
        PAYMENT_METHOD_PRIVATE_KEY: paymentMethodKey,
      };
      // The workers verify access tokens with the keys identity publishes at the edge, started first.
      const keys = role === 'edge' ? {} : { JWKS_URL: `http://127.0.0.1:${services.edge.port}/.well-known/jwks.json` };
      services[role] = (await bench.startService({ ...roleEnv, ...keys, KAFKA_MAX_WAIT_MS: String(SETTINGS.kafkaMaxWaitMs), ...env })).service;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const portFor = (pathname) => services[ROUTES[/^\/api\/v1\/([^/?]+)/.exec(pathname)?.[1]] ?? 'edge'].port;
  return { portFor, services, stop };
}

async function split(databaseUrl) {
  const { portFor, stop } = await startSplit(databaseUrl);
  try {
    return await measure('split: 3 processes over Kafka', portFor);
  } finally {
    await stop();
  }
}

async function main() {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) throw new Error('BENCH_DATABASE_URL must name a PostgreSQL server where databases may be created');
  const results = { generatedAt: new Date().toISOString(), source: bench.source(), machine: bench.machine(), settings: SETTINGS, runs: [] };
  results.runs.push(await bench.onNewDatabase(serverUrl, 'split', oneProcess));
  results.runs.push(await bench.onNewDatabase(serverUrl, 'split', split));
  bench.print(
    bench.table(
      ['topology', 'orders', 'confirmed/s', 'p50 ms', 'p99 ms', 'max ms'],
      results.runs.map((r) => [r.topology, SETTINGS.orders, r.confirmedPerSecond, r.latencyMs.p50, r.latencyMs.p99, r.latencyMs.max]),
    ),
  );
  bench.print(`written to ${bench.writeResults('split.json', results)}`);
}

module.exports = { kafkaMockUnavailable, startSplit };

bench.runIfMain(module, main);
