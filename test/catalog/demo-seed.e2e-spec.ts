import { DEMO_PRODUCTS } from '../../libs/demo';
import { drained, sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

describe('Catalog demo seed', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ SEED_DEMO: 'true' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates every demo product with its fixed id and announces each one', async () => {
    // Listing is served by the search read model, which catches up asynchronously.
    const body = await app.eventually(async () => {
      const { body } = await app.http().get('/api/v1/products').query({ sort: 'oldest', limit: 100 }).expect(200);
      expect(body.items.map((p: { id: string }) => p.id)).toEqual(DEMO_PRODUCTS.map((p) => p.productId));
      return body;
    });
    const [tee] = DEMO_PRODUCTS;
    expect(body.items[0]).toMatchObject({
      sku: tee.sku,
      name: tee.name,
      description: tee.description,
      category: tee.category,
      price: tee.price,
      popularity: tee.popularity,
      version: 1,
    });

    await drained(app);
    const created = await sql<{ aggregate_id: string }>(
      app,
      `SELECT aggregate_id FROM messaging.outbox WHERE type = 'catalog.product.created' ORDER BY aggregate_id`,
    );
    expect(created.map((row) => row.aggregate_id)).toEqual(DEMO_PRODUCTS.map((p) => p.productId));
  });
});
