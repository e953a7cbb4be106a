'use strict';
// Order throughput and latency of the built service on 127.0.0.1, bounded in count and time:
//  1. accepted: a fixed number of POST /api/v1/orders from 50 connections (autocannon), placed by
//     50 customers in turn, each with its access token; rate and latency of the 202 responses,
//     then how long the sagas take to decide that backlog and how it ended, and when the outbox is
//     empty again (compensations and re-sent requests included);
//  2. end to end, on the quiet service: orders placed a fixed number at a time, each timed from
//     its POST until GET /api/v1/orders/:id (polled every 20 ms) says CONFIRMED (or COMPLETED).
// Runs on a throwaway embedded database, then on PostgreSQL when BENCH_DATABASE_URL names a
// database it may fill (use an empty one). Usage: npm run bench:orders
// (`npm run bench` is test/bench/suite.cjs, which runs the burst of orderBurst on fresh databases.)
const { performance } = require('node:perf_hooks');
const process = require('node:process');
const { cpuMsPerUnit, cpuSnapshot } = require('./cpu.cjs');
const bench = require('./service.cjs');
const { ORDER_TIMEOUT_MS, endToEnd, expectStatus, firstConfirmedOrder, orderOf, shop } = require('./order-flow.cjs');

const SETTINGS = {
  orders: 2000,
  connections: 50,
  endToEndOrders: 300,
  endToEndInFlight: 20,
};
const REQUEST_TIMEOUT_S = 60;
const LOAD_TIMEOUT_MS = 120_000;
const BACKLOG_TIMEOUT_MS = 300_000;
/** Who places the burst, in turn; their orders are counted by customer, so in any database. */
const CUSTOMERS = 50;

/**
 * `orders` × POST /api/v1/orders from `connections` connections, by `customers` in turn. A 202 is
 * accepted; a 503 with Retry-After is refused (admission control: a legitimate answer); anything
 * else failed (other statuses, connection errors, requests timed out).
 */
async function acceptedUnderLoad(port, order, customers, { orders, connections }) {
  let refused = 0;
  let next = 0;
  const startedAt = performance.now();
  const result = await bench.hammer(port, {
    connections,
    amount: orders,
    timeoutS: REQUEST_TIMEOUT_S,
    graceMs: LOAD_TIMEOUT_MS,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/orders',
        body: JSON.stringify(order),
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${customers[next++ % customers.length].token}` },
        }),
        onResponse: (status, _body, _context, headers) => {
          if (status === 503 && Object.keys(headers).some((name) => name.toLowerCase() === 'retry-after')) refused++;
        },
      },
    ],
  });
  const accepted = result.statusCodes['202'] ?? 0;
  return {
    ...result,
    accepted,
    refused,
    failed: result.requests - accepted - refused + result.errors,
    acceptedPerSecond: bench.round(accepted / result.seconds),
    startedAt,
  };
}

/**
 * The customers' orders by status, each with how often each reason was given, listed once with
 * the admin's `token`: one read per order, so an order moving on (CONFIRMED → COMPLETED) while
 * the list is read is counted once.
 */
async function ordersByStatus(port, token, customerIds) {
  const byStatus = {};
  for (const customerId of customerIds) {
    let cursor;
    do {
      const query = `customerId=${customerId}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await expectStatus(bench.request(port, 'GET', `/api/v1/orders?${query}`, undefined, { token }), 200, 'list orders');
      for (const order of page.items) {
        const outcome = (byStatus[order.status] ??= { count: 0, reasons: {} });
        outcome.count += 1;
        for (const reason of order.reasons) outcome.reasons[reason] = (outcome.reasons[reason] ?? 0) + 1;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return (status) => byStatus[status] ?? { count: 0, reasons: {} };
}

/** The unlabelled samples of GET /metrics (Prometheus text format), by name. */
async function metrics(port) {
  const text = await expectStatus(bench.request(port, 'GET', '/metrics'), 200, 'metrics');
  const samples = {};
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][\w:]*) (\S+)$/i.exec(line);
    if (match) samples[match[1]] = Number(match[2]);
  }
  return samples;
}

/** The gauge of rows not yet delivered, read from the outbox when /metrics is scraped. */
async function untilOutboxEmpty(port, deadline) {
  while ((await metrics(port)).outbox_pending_messages !== 0) {
    if (performance.now() > deadline) throw new Error('the outbox did not empty in time');
    await bench.sleep(100);
  }
}

/**
 * Waits until none of the customers' orders is PENDING and counts how they ended, then waits
 * until the outbox is empty and counts the messages delivered since `deliveredBefore`. Lists
 * with the admin's `token`.
 */
async function burstOutcome(port, token, customerIds, accepted, loadStartedAt, deliveredBefore, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  // One customer at a time: no order is placed meanwhile, so a customer with none PENDING stays so.
  for (const customerId of customerIds) {
    for (;;) {
      const pending = `/api/v1/orders?customerId=${customerId}&status=PENDING&limit=1`;
      const page = await expectStatus(bench.request(port, 'GET', pending, undefined, { token }), 200, 'list pending orders');
      if (page.items.length === 0) break;
      if (performance.now() > deadline) throw new Error(`orders still PENDING after ${timeoutMs} ms`);
      await bench.sleep(100);
    }
  }
  const seconds = (performance.now() - loadStartedAt) / 1000;
  const outcomes = await ordersByStatus(port, token, customerIds);
  // A confirmed order completes once captured and committed: either status counts as confirmed here.
  const confirmed = { count: outcomes('CONFIRMED').count + outcomes('COMPLETED').count };
  const cancelled = outcomes('CANCELLED');
  const rejected = outcomes('REJECTED');
  const rolledBack = outcomes('ROLLED_BACK');
  const decided = confirmed.count + cancelled.count + rejected.count + rolledBack.count;
  if (decided !== accepted) throw new Error(`${accepted} orders were accepted, ${decided} were decided`);
  await untilOutboxEmpty(port, deadline);
  const outboxEmptyAfterS = (performance.now() - loadStartedAt) / 1000;
  // Split over Kafka, an empty outbox leaves records in the consumers' topics: completion may follow a little later.
  for (;;) {
    const completed = (await ordersByStatus(port, token, customerIds))('COMPLETED').count;
    if (completed === confirmed.count) break;
    if (performance.now() > deadline) throw new Error(`${confirmed.count} orders were confirmed, ${completed} completed once the outbox was empty`);
    await bench.sleep(200);
  }
  const delivered = (await metrics(port)).outbox_lag_seconds_count - deliveredBefore;
  return {
    allDecidedAfterS: bench.round(seconds, 2),
    decidedPerSecond: bench.round(decided / seconds),
    confirmedPerSecond: bench.round(confirmed.count / seconds),
    confirmed: confirmed.count,
    cancelled,
    rejected,
    rolledBack,
    outboxEmptyAfterS: bench.round(outboxEmptyAfterS, 2),
    messagesDelivered: delivered,
  };
}

/**
 * On a service (`port`: a port, or a function from path to port) with nothing in flight: one
 * stocked product, customers registered, and one order CONFIRMED (of a customer of its own), the
 * outbox empty; then the burst of `settings.orders` orders and how it ended, waiting at most
 * `settings.decideTimeoutMs` until none is PENDING.
 */
async function orderBurst(port, settings) {
  const {
    admin,
    productId,
    customers: [warmUp, ...customers],
  } = await shop(port, 1 + CUSTOMERS);
  await firstConfirmedOrder(port, orderOf(productId), warmUp);
  await untilOutboxEmpty(port, performance.now() + ORDER_TIMEOUT_MS);
  const deliveredBefore = (await metrics(port)).outbox_lag_seconds_count;
  const roles = bench.childRoles();
  const cpuBefore = cpuSnapshot(roles);
  const { startedAt, ...accepted } = await acceptedUnderLoad(port, orderOf(productId), customers, settings);
  const timeoutMs = settings.decideTimeoutMs ?? BACKLOG_TIMEOUT_MS;
  const customerIds = customers.map((customer) => customer.id);
  const burst = await burstOutcome(port, admin, customerIds, accepted.accepted, startedAt, deliveredBefore, timeoutMs);
  // From the first POST until every order completed and the outbox emptied: all an order costs.
  burst.cpuMsPerOrder = accepted.accepted > 0 ? cpuMsPerUnit(cpuBefore, roles, accepted.accepted) : null;
  return { productId, customers, accepted, burst };
}

async function run(database, env) {
  const { service } = await bench.startService({ SEED_DEMO: 'false', LOG_LEVEL: 'warn', ...env });
  try {
    const { productId, customers, accepted, burst } = await orderBurst(service.port, SETTINGS);
    const endToEndResult = await endToEnd(service.port, orderOf(productId), customers, {
      count: SETTINGS.endToEndOrders,
      inFlight: SETTINGS.endToEndInFlight,
    });
    return { database, accepted, burst, endToEnd: endToEndResult, peakRssMB: service.peakRssMB() };
  } catch (error) {
    process.stderr.write(`${database}: the service's last output:\n${service.output().slice(-4000)}\n`);
    throw error;
  } finally {
    await bench.stopService(service);
  }
}

async function main() {
  const results = { generatedAt: new Date().toISOString(), source: bench.source(), machine: bench.machine(), settings: SETTINGS, runs: [] };
  results.runs.push(await run('embedded PGlite (memory://)', { DATABASE_URL: undefined, DATA_DIR: 'memory://' }));
  const postgresUrl = process.env.BENCH_DATABASE_URL;
  if (postgresUrl) results.runs.push(await run(`PostgreSQL ${bench.postgresVersion(postgresUrl)}`, { DATABASE_URL: postgresUrl }));
  bench.print(
    bench.table(
      ['database', 'refused (503)', 'failed', '202/s', '202 p50 ms', '202 p99 ms', 'burst confirmed/s', 'e2e confirmed/s', 'e2e p50 ms', 'e2e p99 ms'],
      results.runs.map((r) => [
        r.database,
        r.accepted.refused,
        r.accepted.failed,
        r.accepted.acceptedPerSecond,
        r.accepted.latencyMs.p50,
        r.accepted.latencyMs.p99,
        r.burst.confirmedPerSecond,
        r.endToEnd.confirmedPerSecond,
        r.endToEnd.latencyMs.p50,
        r.endToEnd.latencyMs.p99,
      ]),
    ),
  );
  for (const r of results.runs) {
    const b = r.burst;
    const ended = (outcome, label) => `${outcome.count} ${label}${outcome.count ? ` ${JSON.stringify(outcome.reasons)}` : ''}`;
    bench.print(
      `${r.database}: burst of ${r.accepted.accepted} orders: all decided after ${b.allDecidedAfterS} s ` +
        `(${b.confirmed} confirmed, ${ended(b.rejected, 'rejected')}, ${ended(b.rolledBack, 'rolled back')}), ` +
        `outbox empty after ${b.outboxEmptyAfterS} s, ${b.messagesDelivered} messages delivered`,
    );
  }
  bench.print(`written to ${bench.writeResults('latest.json', results)}`);
}

module.exports = { orderBurst };

bench.runIfMain(module, main);
