import { asAdmin } from '../support/auth';
import { drained, sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';
import { newProduct, uniqueWord } from './catalog-fixtures';

describe('Search while the search index is down', () => {
  let app: TestApp;
  let staff: HttpRoutes;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers from the write model, marked degraded, instead of a 5xx', async () => {
    const word = uniqueWord();
    const { body: cheap } = await staff
      .post('/api/v1/products')
      .send(newProduct({ name: `Degraded ${word} mug`, category: 'kitchen', price: { amount: 900, currency: 'EUR' } }))
      .expect(201);
    await staff
      .post('/api/v1/products')
      .send(newProduct({ name: `Degraded ${word} jug`, category: 'kitchen', price: { amount: 9000, currency: 'EUR' } }))
      .expect(201);
    await drained(app);
    const query = { q: word, category: 'kitchen', maxPrice: 1000 };
    const healthy = await app.http().get('/api/v1/products').query(query).expect(200);
    expect(healthy.body.degraded).toBeUndefined();

    await sql(app, 'ALTER TABLE catalog.product_search RENAME TO product_search_unavailable');
    try {
      // A query not in the cache goes to the index, which now fails.
      const degraded = await app.http().get('/api/v1/products').query({ ...query, limit: 5 }).expect(200);
      expect(degraded.body).toMatchObject({ degraded: true, nextCursor: null });
      expect(degraded.body.items.map((hit: { id: string }) => hit.id)).toEqual([cheap.id]);
    } finally {
      await sql(app, 'ALTER TABLE catalog.product_search_unavailable RENAME TO product_search');
    }
  });
});
