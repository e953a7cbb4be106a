'use strict';
// `npm run bench:auth`: what authentication costs a request. One service on a new PostgreSQL
// database (rate limits off), loaded back to back at --connections connections:
//   1. a cached GET /api/v1/products/:id without a token (answered before Nest's pipeline), for --duration s;
//   2. the same read with a customer's access token (the policy guard verifies its ES256
//      signature and claims, then the controller answers from the same cache), for --duration s;
//   3. POST /api/v1/orders by 50 customers in turn, each with its token, --orders requests (fewer
//      than admission control's bound, so every one is accepted).
// Prints one table; the results go to test/bench/results/auth-cost-<timestamp>.json.
// Usage: npm run bench:auth [-- --connections 50 --duration 10 --orders 1500]
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

async function main() {
  const settings = { connections: flag('--connections', 50), durationS: flag('--duration', 10), orders: flag('--orders', 1500) };
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
  bench.writeResults(`auth-cost-${results.at.replace(/[:.]/g, '-')}.json`, { ...results, source: bench.source() });
}

bench.runIfMain(module, main);
