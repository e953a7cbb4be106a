'use strict';
// Payments under a failing provider, on the built service with the provider simulator as its own
// process (`dist/src/providers.js`, so its faults can be changed while the run goes on):
//  1. the card provider fails 30 % of calls at random: orders decided per second, and the share
//     that complete (COMPLETED: paid, captured and shipped from stock) without anyone stepping in;
//  2. an outage: the card provider fails every call while orders are placed (they park), then
//     recovers: time from its recovery until every parked order has completed;
//  3. the card provider answers after 200 ms: orders per second with the bulkhead at 20 calls under
//     way and with it out of the way (10000).
// Each part on a throwaway embedded database. Usage: npm run bench:payments
const { performance } = require('node:perf_hooks');
const path = require('node:path');
const bench = require('./service.cjs');
const { expectStatus, firstConfirmedOrder, orderOf, shop } = require('./order-flow.cjs');

const SETTINGS = {
  randomFailures: { failureRate: 0.3, orders: 300, inFlight: 20 },
  outage: { orders: 100, inFlight: 20 },
  latency: { latencyMs: 200, orders: 300, inFlight: 50, bulkhead: 20, noBulkhead: 10_000 },
};
/** The service's settings for every part: parked orders must not be rolled back by the saga's clock while they wait. */
const SERVICE_ENV = { PAYMENT_BREAKER_RESET_MS: '5000', PAYMENT_PARK_SWEEP_MS: '1000', SAGA_DEADLINE_MS: '300000' };
const FINAL = new Set(['COMPLETED', 'CANCELLED', 'REJECTED', 'ROLLED_BACK']);
/** Customers placing the orders in turn: registering each costs a password hash. */
const CUSTOMERS = 10;
/**
 * How long an order may take to be decided by itself: a parked payment is resumed within
 * PAYMENT_BREAKER_RESET_MS of its provider's recovery. Still undecided after this, it needs someone
 * (a capture dead-lettered while the circuit stayed open, waiting for a replay).
 */
const DECIDE_TIMEOUT_MS = 120_000;
const POLL_MS = 50;

/** The provider simulator on a free port; resolves once it answers. */
async function simulator() {
  const run = bench.spawnNode(path.join(bench.ROOT, 'dist', 'src', 'providers.js'), ['--port', '0'], {});
  const deadline = performance.now() + 30_000;
  for (;;) {
    const match = /listening on (http:\/\/[\d.:]+)/.exec(run.output());
    if (match) return { ...run, url: match[1] };
    if (run.child.exitCode !== null || performance.now() > deadline) throw new Error(`the simulator did not start:\n${run.output()}`);
    await bench.sleep(50);
  }
}

async function control(sim, body) {
  const response = await fetch(`${sim.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`simulator control: ${response.status} ${await response.text()}`);
}

/**
 * Polls the order as its customer until it is decided; resolves with its status and when it was seen
 * decided, or `<status> undecided` after DECIDE_TIMEOUT_MS.
 */
async function decided(port, orderId, customer) {
  const deadline = performance.now() + DECIDE_TIMEOUT_MS;
  for (;;) {
    const { status, body } = await bench.request(port, 'GET', `/api/v1/orders/${orderId}`, undefined, { token: customer.token });
    if (status === 200 && FINAL.has(body.status)) return { status: body.status, at: performance.now() };
    if (status !== 200 && status !== 404) throw new Error(`GET order ${orderId}: ${status} ${JSON.stringify(body)}`);
    if (performance.now() > deadline) return { status: `${body?.status ?? 'unknown'} undecided`, at: performance.now() };
    await bench.sleep(POLL_MS);
  }
}

/** Places `orders` orders, `inFlight` at a time; with `wait`, each client waits for its order's decision before the next. */
async function placeOrders(port, productId, customers, { orders, inFlight, wait }) {
  const placed = [];
  let started = 0;
  async function client(customer) {
    while (started < orders) {
      started++;
      const accepted = await expectStatus(bench.request(port, 'POST', '/api/v1/orders', orderOf(productId), { token: customer.token }), 202, 'place order');
      const order = { id: accepted.id, customer };
      placed.push(order);
      if (wait) order.outcome = await decided(port, order.id, customer);
    }
  }
  await Promise.all(Array.from({ length: inFlight }, (_, k) => client(customers[k % customers.length])));
  return placed;
}

/**
 * Runs `work` against a new simulator and a service calling it, with a stocked product and
 * customers, its first order completed; stops both after.
 */
async function withService(env, work) {
  const sim = await simulator();
  try {
    const { service } = await bench.startService({ ...SERVICE_ENV, ...env, PAYMENT_PROVIDER_URL: sim.url });
    try {
      const setUp = await shop(service.port, CUSTOMERS);
      await firstConfirmedOrder(service.port, orderOf(setUp.productId), setUp.customers[0]);
      return await work({ sim, port: service.port, ...setUp });
    } finally {
      await bench.stopService(service);
    }
  } finally {
    sim.child.kill('SIGTERM');
    await sim.closed;
  }
}

async function randomFailures() {
  const { failureRate, orders, inFlight } = SETTINGS.randomFailures;
  return withService({}, async (run) => {
    await control(run.sim, { provider: 'card', failureRate });
    const startedAt = performance.now();
    const placed = await placeOrders(run.port, run.productId, run.customers, { orders, inFlight, wait: true });
    const seconds = (performance.now() - startedAt) / 1000;
    const byStatus = {};
    for (const { outcome } of placed) byStatus[outcome.status] = (byStatus[outcome.status] ?? 0) + 1;
    const completed = placed.filter(({ outcome }) => outcome.status === 'COMPLETED').length;
    return { failureRate, orders, inFlight, seconds: bench.round(seconds, 1), decidedPerSecond: bench.round(orders / seconds), completedShare: bench.round(completed / orders, 3), byStatus };
  });
}

async function outage() {
  const { orders, inFlight } = SETTINGS.outage;
  return withService({}, async (run) => {
    await control(run.sim, { provider: 'card', failureRate: 1 });
    const placed = await placeOrders(run.port, run.productId, run.customers, { orders, inFlight, wait: false });
    // Every order's payment has its answer: parked, or declined by the failures that opened the circuit.
    const parkedIds = [];
    for (const order of placed) {
      for (;;) {
        const body = await expectStatus(bench.request(run.port, 'GET', `/api/v1/payments?orderId=${order.id}`, undefined, { token: run.admin }), 200, 'payment');
        const status = body.items[0]?.status;
        if (status === 'PARKED') parkedIds.push(order);
        if (status !== undefined && status !== 'PENDING') break;
        await bench.sleep(POLL_MS);
      }
    }
    const recoveredAt = performance.now();
    await control(run.sim, { provider: 'card', failureRate: 0 });
    const outcomes = await Promise.all(parkedIds.map((order) => decided(run.port, order.id, order.customer)));
    const completed = outcomes.filter(({ status }) => status === 'COMPLETED').length;
    const lastAt = Math.max(recoveredAt, ...outcomes.map(({ at }) => at));
    return {
      orders,
      parked: parkedIds.length,
      completedOfParked: completed,
      breakerResetMs: Number(SERVICE_ENV.PAYMENT_BREAKER_RESET_MS),
      recoveryToAllCompletedMs: Math.round(lastAt - recoveredAt),
    };
  });
}

async function latency(maxConcurrent) {
  const { latencyMs, orders, inFlight } = SETTINGS.latency;
  return withService({ PAYMENT_PROVIDER_MAX_CONCURRENT: String(maxConcurrent) }, async (run) => {
    await control(run.sim, { provider: 'card', latencyMs });
    const startedAt = performance.now();
    const placed = await placeOrders(run.port, run.productId, run.customers, { orders, inFlight, wait: true });
    const seconds = (performance.now() - startedAt) / 1000;
    const completed = placed.filter(({ outcome }) => outcome.status === 'COMPLETED').length;
    return { latencyMs, maxConcurrent, orders, inFlight, seconds: bench.round(seconds, 1), decidedPerSecond: bench.round(orders / seconds), completed };
  });
}

async function main() {
  bench.cleanUpOnSignals();
  const results = { machine: bench.machine(), source: bench.source(), settings: { ...SETTINGS, service: SERVICE_ENV } };
  results.randomFailures = await randomFailures();
  bench.print(JSON.stringify({ randomFailures: results.randomFailures }));
  results.outage = await outage();
  bench.print(JSON.stringify({ outage: results.outage }));
  results.latencyWithBulkhead = await latency(SETTINGS.latency.bulkhead);
  results.latencyWithoutBulkhead = await latency(SETTINGS.latency.noBulkhead);
  bench.print(JSON.stringify({ latencyWithBulkhead: results.latencyWithBulkhead, latencyWithoutBulkhead: results.latencyWithoutBulkhead }));
  bench.print(`results in ${bench.writeResults('payments-resilience.json', results)}`);
}

bench.runIfMain(module, main);

module.exports = { randomFailures, outage, latency };
