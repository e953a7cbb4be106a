'use strict';
// `npm run bench:auth`: what authentication costs a request. One service on a new PostgreSQL
// database (rate limits off), loaded back to back at --connections connections:
//   1. a cached GET /api/v1/products/:id without a token (answered before Nest's pipeline), for --duration s;
//   2. the same read with a customer's access token (the policy guard verifies its ES256
//      signature and claims, then the controller answers from the same cache), for --duration s;
//   3. POST /api/v1/orders by 50 customers in turn, each with its token, --orders requests (fewer
//      than admission control's bound, so every one is accepted);
//   4. whether sign-in tells an account exists by its timing: --sign-ins rounds, one request at a
//      time, each round a login with a wrong password to an existing and to an unknown email, and a
//      registration of a taken and of a new email, in a random order within the round.
// Prints two tables; the results go to test/bench/results/auth-cost-<timestamp>.json.
// Usage: npm run bench:auth [-- --connections 50 --duration 10 --orders 1500 --sign-ins 100]
const { randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const process = require('node:process');
const bench = require('./service.cjs');
const { expectStatus, firstConfirmedOrder, orderOf, shop } = require('./order-flow.cjs');

const SERVER_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CUSTOMERS = 50;

function flag(name, fallback) {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a positive whole number`);
  return value ?? fallback;
}

/**
 * Latencies of the sign-in requests that must not tell whether an email has an account: each
 * pair answers alike, and should take alike. Sequential, so no request queues behind another.
 */
async function signInTimings(port, rounds) {
  const label = randomBytes(4).toString('hex');
  const probes = {
    'login, existing email, wrong password': (i) => ['/api/v1/auth/login', { email: bench.ADMIN.email, password: `wrong-${i}` }, 401],
    'login, unknown email': (i) => ['/api/v1/auth/login', { email: `nobody-${label}-${i}@bench.example`, password: `wrong-${i}` }, 401],
    'register, taken email': (i) => ['/api/v1/auth/register', { email: bench.ADMIN.email, password: `password-${label}-${i}` }, 202],
    'register, new email': (i) => ['/api/v1/auth/register', { email: `new-${label}-${i}@bench.example`, password: `password-${label}-${i}` }, 202],
  };
  const latencies = Object.fromEntries(Object.keys(probes).map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    const order = Object.keys(probes);
    for (let j = order.length - 1; j > 0; j--) {
      const k = Math.floor(Math.random() * (j + 1));
      [order[j], order[k]] = [order[k], order[j]];
    }
    for (const name of order) {
      const [path, body, expected] = probes[name](i);
      const startedAt = performance.now();
      const { status } = await bench.request(port, 'POST', path, body);
      latencies[name].push(performance.now() - startedAt);
      if (status !== expected) throw new Error(`${name}: ${status}, expected ${expected}`);
    }
  }
  return Object.fromEntries(
    Object.entries(latencies).map(([name, values]) => [
      name,
      { median: bench.round(bench.median(values), 2), p90: bench.round(bench.percentile(values, 0.9), 2), requests: values.length },
    ]),
  );
}

async function main() {
  const settings = {
    connections: flag('--connections', 50),
    durationS: flag('--duration', 10),
    orders: flag('--orders', 1500),
    signIns: flag('--sign-ins', 100),
  };
  const results = { at: new Date().toISOString(), machine: bench.machine(), settings, scenarios: {} };
  bench.cleanUpOnSignals();
  await bench.onNewDatabase(SERVER_URL, 'auth', async (databaseUrl) => {
    const { service } = await bench.startService({ DATABASE_URL: databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
    try {
      const {
        productId,
        customers: [warmUp, ...customers],
      } = await shop(service.port, 1 + CUSTOMERS);
      // Ordering knows the product's price once an order of it is confirmed.
      await firstConfirmedOrder(service.port, orderOf(productId), warmUp);
      const path = `/api/v1/products/${productId}`;
      await expectStatus(bench.request(service.port, 'GET', path), 200, 'warm the product cache');
      const read = (token) => ({ method: 'GET', path, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
      const load = { connections: settings.connections, durationS: settings.durationS };
      results.scenarios.cachedAnonymous = await bench.hammer(service.port, { ...load, requests: [read(undefined)] });
      results.scenarios.cachedWithToken = await bench.hammer(service.port, { ...load, requests: [read(customers[0].token)] });
      let next = 0;
      results.scenarios.placeWithToken = await bench.hammer(service.port, {
        connections: settings.connections,
        amount: settings.orders,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/orders',
            setupRequest: (request) => ({
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${customers[next++ % customers.length].token}` },
              body: JSON.stringify(orderOf(productId)),
            }),
          },
        ],
      });
      results.signInMs = await signInTimings(service.port, settings.signIns);
      results.peakRssMB = service.peakRssMB();
    } finally {
      await bench.stopService(service);
    }
  });
  const { cachedAnonymous, cachedWithToken, placeWithToken } = results.scenarios;
  for (const [name, scenario] of Object.entries(results.scenarios)) {
    if (scenario.non2xx > 0 || scenario.errors > 0) throw new Error(`${name}: ${scenario.non2xx} answers not 2xx, ${scenario.errors} errors`);
  }
  const row = (what, scenario) => [what, scenario.perSecond, scenario.latencyMs.p50, scenario.latencyMs.p99];
  bench.print(
    bench.table(
      ['request', 'req/s', 'p50 ms', 'p99 ms'],
      [
        row('cached GET /products/:id, no token', cachedAnonymous),
        row('cached GET /products/:id, access token', cachedWithToken),
        row('POST /orders, access token', placeWithToken),
      ],
    ),
  );
  bench.print(`the token costs the cached read ${bench.round(100 - (100 * cachedWithToken.perSecond) / cachedAnonymous.perSecond)} % of its throughput`);
  bench.print(
    bench.table(
      ['sign-in request, one at a time', 'median ms', 'p90 ms', 'requests'],
      Object.entries(results.signInMs).map(([name, { median, p90, requests }]) => [name, median, p90, requests]),
    ),
  );
  bench.writeResults(`auth-cost-${results.at.replace(/[:.]/g, '-')}.json`, { ...results, source: bench.source() });
}

bench.runIfMain(module, main);
