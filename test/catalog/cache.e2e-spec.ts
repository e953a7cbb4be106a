import { drained } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { newProduct, uniqueWord } from './catalog-fixtures';

/** Sum of a cache counter for one namespace, over every level. */
async function counter(app: TestApp, name: string, namespace: string): Promise<number> {
  const { text } = await app.http().get('/metrics').expect(200);
  const line = new RegExp(`^${name}\\{[^}]*namespace="${namespace.replace('.', '\\.')}"[^}]*\\} (\\d+)$`, 'gm');
  return [...text.matchAll(line)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe('Catalog cache', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves a second product read from cache, answers 304 to its ETag, and drops it on update', async () => {
    const { body: created } = await app.http().post('/api/v1/products').send(newProduct()).expect(201);
    const path = `/api/v1/products/${created.id}`;
    // Indexing the new product drops its cache entry; let it finish before counting.
    await drained(app);
    const loadsBefore = await counter(app, 'cache_loads_total', 'catalog.product');
    await app.http().get(path).expect(200);
    const hitsBefore = await counter(app, 'cache_hits_total', 'catalog.product');
    const second = await app.http().get(path).expect(200);
    expect(await counter(app, 'cache_hits_total', 'catalog.product')).toBe(hitsBefore + 1);
    expect(await counter(app, 'cache_loads_total', 'catalog.product')).toBe(loadsBefore + 1);

    const notModified = await app.http().get(path).set('If-None-Match', second.headers.etag).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(second.headers.etag);

    await app
      .http()
      .patch(path)
      .set('If-Match', second.headers.etag)
      .send({ price: { amount: 4242, currency: 'EUR' } })
      .expect(200);
    const { body: fresh } = await app.http().get(path).expect(200);
    expect(fresh.price).toEqual({ amount: 4242, currency: 'EUR' });
    await app.http().get(path).set('If-None-Match', second.headers.etag).expect(200);
  });

  it('caches search pages and refreshes them when the index changes', async () => {
    const word = uniqueWord();
    const { body: created } = await app
      .http()
      .post('/api/v1/products')
      .send(newProduct({ name: `Cached ${word} lamp`, price: { amount: 3000, currency: 'EUR' } }))
      .expect(201);
    const search = () => app.http().get('/api/v1/products').query({ q: word, category: 'bags' }).expect(200);
    await app.eventually(async () => expect((await search()).body.items).toHaveLength(1));

    await drained(app);
    await search();
    const hitsBefore = await counter(app, 'cache_hits_total', 'catalog.search');
    await search();
    expect(await counter(app, 'cache_hits_total', 'catalog.search')).toBe(hitsBefore + 1);

    await app
      .http()
      .patch(`/api/v1/products/${created.id}`)
      .send({ price: { amount: 3500, currency: 'EUR' } })
      .expect(200);
    await app.eventually(async () => {
      const { body } = await search();
      expect(body.items[0].price).toEqual({ amount: 3500, currency: 'EUR' });
    });
  });
});
