'use strict';
// The order flow the benchmarks drive over HTTP: a stocked product, orders, and end-to-end timing
// from POST /api/v1/orders until GET /api/v1/orders/:id says CONFIRMED. `port` is the service's
// port, or a function from a path to the port of the process serving it (a split deployment).
const { performance } = require('node:perf_hooks');
const bench = require('./service.cjs');

const ORDER_TIMEOUT_MS = 60_000;
const ORDER_POLL_MS = 20;
const STOCK = 1_000_000;

async function expectStatus(responsePromise, status, what) {
  const response = await responsePromise;
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

async function stockedProduct(port) {
  const product = await expectStatus(
    bench.request(port, 'POST', '/api/v1/products', {
      sku: `BENCH-${Date.now()}`,
      name: 'Benchmark product',
      description: 'Ordered by test/bench/orders.cjs',
      category: 'bench',
      price: { amount: 1000, currency: 'EUR' },
    }),
    201,
    'create product',
  );
  await stockOnceKnown(port, product.id);
  return product.id;
}

/** Inventory learns of a product from the catalog's event: until then it answers 404. */
async function stockOnceKnown(port, productId) {
  const deadline = performance.now() + ORDER_TIMEOUT_MS;
  for (;;) {
    const { status, body } = await bench.request(port, 'PUT', `/api/v1/inventory/${productId}`, { onHand: STOCK });
    if (status === 200) return;
    if (status !== 404 || performance.now() > deadline) throw new Error(`set stock: expected 200, got ${status} ${JSON.stringify(body)}`);
    await bench.sleep(50);
  }
}

/** Each phase orders as its own customer, so its orders can be counted in any database. */
function orderOf(customerId, productId) {
  return { customerId, items: [{ productId, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } };
}

/** Ordering learns prices from catalog's events: until then it answers 400 (unknown product). */
async function firstConfirmedOrder(port, order) {
  const deadline = performance.now() + ORDER_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const { status, body } = await bench.request(port, 'POST', '/api/v1/orders', order);
    if (status === 202) return untilConfirmed(port, body.id, deadline);
    if (status !== 400) throw new Error(`first order: ${status} ${JSON.stringify(body)}`);
    await bench.sleep(50);
  }
  throw new Error(`no order was accepted within ${ORDER_TIMEOUT_MS} ms`);
}

async function untilConfirmed(port, orderId, deadline) {
  for (;;) {
    const { status, body } = await bench.request(port, 'GET', `/api/v1/orders/${orderId}`);
    if (status === 200 && body.status === 'CONFIRMED') return;
    if (status === 200 && body.status !== 'PENDING') throw new Error(`order ${orderId} ended ${body.status}: ${body.reasons.join('; ')}`);
    // 404: the order's read model is not written yet.
    if (status !== 200 && status !== 404) throw new Error(`GET order ${orderId}: ${status} ${JSON.stringify(body)}`);
    if (performance.now() > deadline) throw new Error(`order ${orderId} not confirmed in time (last: ${status} ${body.status})`);
    await bench.sleep(ORDER_POLL_MS);
  }
}

/** `count` orders, `inFlight` at a time, each timed from its POST until it is CONFIRMED. */
async function endToEnd(port, order, { count, inFlight }) {
  const latencies = [];
  let started = 0;
  async function client() {
    while (started < count) {
      started++;
      const placedAt = performance.now();
      const accepted = await expectStatus(bench.request(port, 'POST', '/api/v1/orders', order), 202, 'place order');
      await untilConfirmed(port, accepted.id, placedAt + ORDER_TIMEOUT_MS);
      latencies.push(performance.now() - placedAt);
    }
  }
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: inFlight }, client));
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    seconds: bench.round(seconds, 2),
    confirmedPerSecond: bench.round(latencies.length / seconds),
    latencyMs: bench.latencySummary(latencies),
  };
}

module.exports = { ORDER_TIMEOUT_MS, endToEnd, expectStatus, firstConfirmedOrder, orderOf, stockedProduct, untilConfirmed };
