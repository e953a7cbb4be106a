import { DataSource } from 'typeorm';
import { ProductCreatedV1 } from '../../../libs/contracts/catalog';
import { createEnvelope, Envelope, OutboxImport } from '../../../libs/messaging';
import { newId } from '../../../libs/persistence';
import { ProductStore } from '../../../src/modules/catalog/application/ports/product-store';
import { Product } from '../../../src/modules/catalog/domain/product';
import { sql } from '../../support/shop';
import { startTestApp, TestApp } from '../../support/test-app';
import { productStoreContract } from './product-store.contract';

const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite';

// The default write model: embedded PGlite, or a fresh database on TEST_DATABASE_URL's server.
describe(`ProductStore on Postgres (${database})`, () => {
  productStoreContract(async () => {
    const app = await startTestApp();
    return { app, close: () => app.close() };
  });
});

describe(`Reads of single products on Postgres (${database})`, () => {
  let app: TestApp;
  let store: ProductStore;

  beforeAll(async () => {
    app = await startTestApp();
    store = app.nest.get(ProductStore, { strict: false });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('share one query when asked for in the same turn, and find an id written in upper case', async () => {
    const products = Array.from({ length: 3 }, () =>
      Product.create(newId(), { sku: `SKU-${newId()}`, name: 'Batched mug', description: '', category: 'kitchen', price: { amount: 900, currency: 'EUR' } }),
    );
    await store.transaction((writer) => writer.createMany(products));
    const query = jest.spyOn(app.nest.get(DataSource), 'query');
    try {
      const ids = [products[0].id.toUpperCase(), products[1].id, newId(), products[2].id];
      const read = await Promise.all(ids.map((id) => store.get(id)));
      expect(read.map((product) => product?.id)).toEqual([products[0].id, products[1].id, undefined, products[2].id]);
      expect(query.mock.calls.filter(([text]) => text.includes('catalog.product'))).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
  });
});

// How the MongoDB store's events reach the messaging outbox; it needs only Postgres.
describe(`${OutboxImport.name} (${database})`, () => {
  let app: TestApp;
  let outboxImport: OutboxImport;

  beforeAll(async () => {
    app = await startTestApp();
    outboxImport = app.nest.get(OutboxImport);
  });

  afterAll(async () => {
    await app?.close();
  });

  function event(): Envelope {
    const productId = newId();
    const snapshot = { productId, sku: `SKU-${productId}`, name: 'Imported', category: 'test', price: { amount: 100, currency: 'EUR' }, version: 1 };
    return createEnvelope(new ProductCreatedV1(snapshot), productId, { correlationId: newId(), causationId: null, traceparent: null });
  }

  async function rowsOf(
    envelopes: Envelope[],
  ): Promise<{ message_id: string; type: string; version: number; aggregate_id: string; envelope: Envelope; published: boolean }[]> {
    return sql(
      app,
      `SELECT message_id, type, version, aggregate_id, envelope, published_at IS NOT NULL AS published FROM messaging.outbox
       WHERE message_id = ANY($1::uuid[]) ORDER BY seq`,
      [envelopes.map((e) => e.id)],
    );
  }

  it('enqueues envelopes in their order, once each however often they are imported, for the relay to deliver', async () => {
    const [first, second, third] = [event(), event(), event()];
    expect(await outboxImport.enqueue([first, second, first])).toEqual([first.id, second.id]);
    expect(await outboxImport.enqueue([second, third, first])).toEqual([third.id]);
    expect(await outboxImport.enqueue([])).toEqual([]);

    const rows = await rowsOf([first, second, third]);
    expect(rows.map((row) => row.message_id)).toEqual([first.id, second.id, third.id]);
    expect(rows.map(({ type, version, aggregate_id }) => ({ type, version, aggregateId: aggregate_id }))).toEqual(
      [first, second, third].map(({ type, version, aggregateId }) => ({ type, version, aggregateId })),
    );
    expect(rows.map((row) => row.envelope)).toEqual([first, second, third]);
    await app.eventually(async () => expect((await rowsOf([first, second, third])).every((row) => row.published)).toBe(true));
  });
});
