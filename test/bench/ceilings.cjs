'use strict';
// The two ceilings test/bench/suite.cjs holds the service against, measured on the same machine
// in the same run as the service:
//  - HTTP: bare-fastify.cjs (one Fastify route, nothing else) in a process of its own, under
//    autocannon with the connections and duration of the service's GET scenarios;
//  - commit: a pgbench-style order transaction from Node with `pg`, one client per connection
//    for a fixed duration, on scratch tables in the database given: BEGIN; insert an order and
//    its one line; take one unit from one of 1,000 stock rows (picked at random, so rows are
//    rarely contended); insert an outbox row with a jsonb envelope; COMMIT. This is what
//    PostgreSQL commits on this machine when every order is one short transaction; the service
//    needs several per order (saga steps, inbox and outbox on each side).
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');
const bench = require('./service.cjs');

const BARE_SERVER = path.join(__dirname, 'bare-fastify.cjs');
const LISTEN_TIMEOUT_MS = 30_000;
const WARM_UP_REQUESTS_PER_CONNECTION = 100;
const STOCK_ROWS = 1000;
const STATEMENT_TIMEOUT_MS = 30_000;

const SCRATCH_SCHEMA = `
  CREATE SCHEMA ceiling;
  CREATE TABLE ceiling.customer_order (
    id uuid PRIMARY KEY,
    customer_id text NOT NULL,
    status text NOT NULL,
    total_amount bigint NOT NULL,
    currency char(3) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX customer_order_customer ON ceiling.customer_order (customer_id, id);
  CREATE TABLE ceiling.order_line (
    order_id uuid NOT NULL,
    line int NOT NULL,
    product_id int NOT NULL,
    quantity int NOT NULL,
    price_amount bigint NOT NULL,
    PRIMARY KEY (order_id, line)
  );
  CREATE TABLE ceiling.stock (product_id int PRIMARY KEY, on_hand int NOT NULL);
  INSERT INTO ceiling.stock SELECT id, 1000000000 FROM generate_series(1, ${STOCK_ROWS}) AS id;
  CREATE TABLE ceiling.outbox (
    seq bigserial PRIMARY KEY,
    message_id uuid NOT NULL,
    type text NOT NULL,
    aggregate_id text NOT NULL,
    envelope jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
  );
  CREATE INDEX outbox_due ON ceiling.outbox (seq) WHERE published_at IS NULL;
  ANALYZE;`;

/** Resolves with the port once the child has printed "listening on <port>". */
async function listeningPort(server, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = /listening on (\d+)/.exec(server.output());
    if (found) return Number(found[1]);
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`the bare Fastify server exited:\n${server.output()}`);
    if (performance.now() > deadline) throw new Error(`the bare Fastify server did not listen within ${timeoutMs} ms`);
    await bench.sleep(20);
  }
}

async function httpCeiling({ connections, durationS }) {
  const server = bench.spawnNode(BARE_SERVER, [], {});
  try {
    const port = await listeningPort(server, LISTEN_TIMEOUT_MS);
    const { status } = await bench.request(port, 'GET', '/bare/1');
    if (status !== 200) throw new Error(`the bare Fastify route answered ${status}`);
    const requests = [{ method: 'GET', path: '/bare/1' }];
    // Warmed up first, as the service is by the requests that set its scenarios up.
    const warmUp = await bench.hammer(port, { connections, amount: WARM_UP_REQUESTS_PER_CONNECTION * connections, requests });
    if (warmUp.non2xx > 0 || warmUp.errors > 0) throw new Error(`the bare Fastify warm-up met ${JSON.stringify(warmUp.statusCodes)}, ${warmUp.errors} errors`);
    const result = await bench.hammer(port, { connections, durationS, requests });
    return { route: 'GET /bare/:id (bare Fastify, a product-sized JSON)', ...result };
  } finally {
    await bench.stopService(server);
  }
}

/** One order as one transaction; resolves with its duration in ms. */
async function orderTransaction(client, customerId) {
  const startedAt = performance.now();
  const orderId = randomUUID();
  const productId = 1 + Math.floor(Math.random() * STOCK_ROWS);
  await client.query('BEGIN');
  try {
    await client.query('INSERT INTO ceiling.customer_order (id, customer_id, status, total_amount, currency) VALUES ($1, $2, $3, $4, $5)', [
      orderId,
      customerId,
      'PENDING',
      1000,
      'EUR',
    ]);
    await client.query('INSERT INTO ceiling.order_line (order_id, line, product_id, quantity, price_amount) VALUES ($1, 1, $2, 1, 1000)', [orderId, productId]);
    const taken = await client.query('UPDATE ceiling.stock SET on_hand = on_hand - 1 WHERE product_id = $1 AND on_hand >= 1', [productId]);
    if (taken.rowCount !== 1) throw new Error(`stock row ${productId} was not decremented`);
    const envelope = { type: 'OrderPlaced', version: 1, orderId, customerId, lines: [{ productId, quantity: 1, price: { amount: 1000, currency: 'EUR' } }] };
    await client.query('INSERT INTO ceiling.outbox (message_id, type, aggregate_id, envelope) VALUES ($1, $2, $3, $4)', [
      randomUUID(),
      'OrderPlaced',
      orderId,
      JSON.stringify(envelope),
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  return performance.now() - startedAt;
}

/** `connections` clients, each committing order transactions back to back for `durationS`. */
async function commitCeiling(databaseUrl, { connections, durationS }) {
  const clients = Array.from(
    { length: connections },
    () => new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000, statement_timeout: STATEMENT_TIMEOUT_MS }),
  );
  try {
    await Promise.all(clients.map((client) => client.connect()));
    await clients[0].query(SCRATCH_SCHEMA);
    const latencies = [];
    const startedAt = performance.now();
    const endAt = startedAt + durationS * 1000;
    await Promise.all(
      clients.map(async (client, index) => {
        while (performance.now() < endAt) latencies.push(await orderTransaction(client, `ceiling-${index}`));
      }),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    const [[orders, outboxRows]] = bench.queryRows(databaseUrl, 'SELECT (SELECT count(*) FROM ceiling.customer_order), (SELECT count(*) FROM ceiling.outbox)');
    if (Number(orders) !== latencies.length || Number(outboxRows) !== latencies.length) {
      throw new Error(`${latencies.length} transactions committed, but ${orders} orders and ${outboxRows} outbox rows are stored`);
    }
    return {
      transaction: 'BEGIN; INSERT order; INSERT 1 line; UPDATE 1 of 1,000 stock rows; INSERT outbox (jsonb); COMMIT',
      clients: connections,
      transactions: latencies.length,
      seconds: bench.round(seconds, 2),
      perSecond: bench.round(latencies.length / seconds),
      latencyMs: bench.latencySummary(latencies),
    };
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
  }
}

module.exports = { commitCeiling, httpCeiling };
