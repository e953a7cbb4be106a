'use strict';
// The order flow the benchmarks drive over HTTP: a stocked product, orders, and end-to-end timing
// from POST /api/v1/orders until GET /api/v1/orders/:id says CONFIRMED (or already COMPLETED). `port` is the service's
// port, or a function from a path to the port of the process serving it (a split deployment).
// The catalog and stock are set up as the service's admin (bench.ADMIN); orders are placed by
// registered customers, each with its access token.
const { randomBytes } = require('node:crypto');
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

/** An access token of the user, from POST /api/v1/auth/login. */
async function logIn(port, { email, password }) {
  const session = await expectStatus(bench.request(port, 'POST', '/api/v1/auth/login', { email, password }), 200, `log in ${email}`);
  return session.accessToken;
}

/**
 * `count` customers, registered and logged in: `{ id, token }`. A few at a time, as each costs the
 * service a password hash or two.
 */
async function newCustomers(port, count) {
  const label = `bench-${Date.now()}-${randomBytes(4).toString('hex')}`;
  const customers = [];
  let next = 0;
  async function registrar() {
    while (next < count) {
      const at = next++;
      const credentials = { email: `${label}-${at}@bench.example`, password: `password-of-${label}` };
      await expectStatus(bench.request(port, 'POST', '/api/v1/auth/register', credentials), 202, 'register a customer');
      const token = await logIn(port, credentials);
      const me = await expectStatus(bench.request(port, 'GET', '/api/v1/users/me', undefined, { token }), 200, 'read the profile');
      customers[at] = { id: me.id, token };
    }
  }
  await Promise.all(Array.from({ length: Math.min(4, count) }, registrar));
  return customers;
}

/** What a run orders with: the admin's token, a product with stock, and `customerCount` customers. */
async function shop(port, customerCount) {
  const admin = await logIn(port, bench.ADMIN);
  const productId = await stockedProduct(port, admin);
  return { admin, productId, customers: await newCustomers(port, customerCount) };
}

async function stockedProduct(port, token) {
  const product = await expectStatus(
    bench.request(
      port,
      'POST',
      '/api/v1/products',
      {
        sku: `BENCH-${Date.now()}`,
        name: 'Benchmark product',
        description: 'Ordered by test/bench/orders.cjs',
        category: 'bench',
        price: { amount: 1000, currency: 'EUR' },
      },
      { token },
    ),
    201,
    'create product',
  );
  await stockOnceKnown(port, product.id, token);
  return product.id;
}

/** Inventory learns of a product from the catalog's event: until then it answers 404. */
async function stockOnceKnown(port, productId, token) {
  const deadline = performance.now() + ORDER_TIMEOUT_MS;
  for (;;) {
    const { status, body } = await bench.request(port, 'PUT', `/api/v1/inventory/${productId}`, { onHand: STOCK }, { token });
    if (status === 200) return;
    if (status !== 404 || performance.now() > deadline) throw new Error(`set stock: expected 200, got ${status} ${JSON.stringify(body)}`);
    await bench.sleep(50);
  }
}

/** An order of one unit; the customer is whoever places it. */
function orderOf(productId) {
  return { items: [{ productId, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } };
}

/** Ordering learns prices from catalog's events: until then it answers 400 (unknown product). */
async function firstConfirmedOrder(port, order, customer) {
  const deadline = performance.now() + ORDER_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const { status, body } = await bench.request(port, 'POST', '/api/v1/orders', order, { token: customer.token });
    if (status === 202) return untilConfirmed(port, body.id, deadline, customer);
    if (status !== 400) throw new Error(`first order: ${status} ${JSON.stringify(body)}`);
    await bench.sleep(50);
  }
  throw new Error(`no order was accepted within ${ORDER_TIMEOUT_MS} ms`);
}

/** Polls the order as the customer who placed it. */
async function untilConfirmed(port, orderId, deadline, customer) {
  for (;;) {
    const { status, body } = await bench.request(port, 'GET', `/api/v1/orders/${orderId}`, undefined, { token: customer.token });
    // COMPLETED follows CONFIRMED once the capture and the stock commit are in.
    if (status === 200 && (body.status === 'CONFIRMED' || body.status === 'COMPLETED')) return;
    if (status === 200 && body.status !== 'PENDING') throw new Error(`order ${orderId} ended ${body.status}: ${body.reasons.join('; ')}`);
    // 404: the order's read model is not written yet.
    if (status !== 200 && status !== 404) throw new Error(`GET order ${orderId}: ${status} ${JSON.stringify(body)}`);
    if (performance.now() > deadline) throw new Error(`order ${orderId} not confirmed in time (last: ${status} ${body.status})`);
    await bench.sleep(ORDER_POLL_MS);
  }
}

/** `count` orders, `inFlight` at a time (client k ordering as customer k, round robin), each timed from its POST until it is CONFIRMED. */
async function endToEnd(port, order, customers, { count, inFlight }) {
  const latencies = [];
  let started = 0;
  async function client(customer) {
    while (started < count) {
      started++;
      const placedAt = performance.now();
      const accepted = await expectStatus(bench.request(port, 'POST', '/api/v1/orders', order, { token: customer.token }), 202, 'place order');
      await untilConfirmed(port, accepted.id, placedAt + ORDER_TIMEOUT_MS, customer);
      latencies.push(performance.now() - placedAt);
    }
  }
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: inFlight }, (_, k) => client(customers[k % customers.length])));
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    seconds: bench.round(seconds, 2),
    confirmedPerSecond: bench.round(latencies.length / seconds),
    latencyMs: bench.latencySummary(latencies),
  };
}

module.exports = { ORDER_TIMEOUT_MS, endToEnd, expectStatus, firstConfirmedOrder, orderOf, shop, untilConfirmed };
