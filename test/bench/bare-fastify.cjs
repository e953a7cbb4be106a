'use strict';
// The HTTP ceiling of test/bench/suite.cjs (see ceilings.cjs): one Fastify route and nothing else
// (no Nest, no hooks, no logging, no schema) in a process of its own, answering GET /bare/:id with
// a product as GET /api/v1/products/:id answers it, in shape and size. Listens on 127.0.0.1, on a
// port the system picks, and prints "listening on <port>"; stops on SIGTERM.
const fastify = require('fastify');
const process = require('node:process');

const PRODUCT = {
  id: '0b6f3a52-5d0e-4d3c-9a51-6f1c2b7e8d90',
  sku: 'SEED1A2B3C-000042',
  name: 'Northwind Compact Wireless Camera',
  description: 'Generated product 42 for load tests: compact, wireless, weatherproof, two-year warranty.',
  category: 'cameras',
  price: { amount: 24999, currency: 'EUR' },
  popularity: 42,
  attributes: { color: 'black', weightGrams: 320 },
  status: 'ACTIVE',
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  indexing: { status: 'indexed', indexedAt: '2026-12-01T00:00:01.000Z', error: null },
};

const app = fastify({ logger: false });
app.get('/bare/:id', async () => PRODUCT);
app.listen({ host: '127.0.0.1', port: 0 }).then(
  () => process.stdout.write(`listening on ${app.server.address().port}\n`),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
