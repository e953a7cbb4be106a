import { asAdmin } from '../support/auth';
import { drained } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';
import { newProduct, uniqueWord } from './catalog-fixtures';

/** Sum of the series of a metric that carry the labels given. */
async function counter(app: TestApp, name: string, labels: Record<string, string>): Promise<number> {
  const { text } = await app.http().get('/metrics').expect(200);
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('Catalog cache', () => {
  let app: TestApp;
  let staff: HttpRoutes;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves a second product read from cache, answers 304 to its ETag, and drops it on update', async () => {
    const { body: created } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
    const path = `/api/v1/products/${created.id}`;
    // Indexing the new product drops its cache entry; let it finish before counting.
    await drained(app);
    const loadsBefore = await counter(app, 'cache_loads_total', { namespace: 'catalog.product' });
    await app.http().get(path).expect(200);
    const hitsBefore = await counter(app, 'cache_hits_total', { namespace: 'catalog.product' });
    const second = await app.http().get(path).expect(200);
    expect(await counter(app, 'cache_hits_total', { namespace: 'catalog.product' })).toBe(hitsBefore + 1);
    expect(await counter(app, 'cache_loads_total', { namespace: 'catalog.product' })).toBe(loadsBefore + 1);

    const notModified = await app.http().get(path).set('If-None-Match', second.headers.etag).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(second.headers.etag);

    await staff
      .patch(path)
      .set('If-Match', second.headers.etag)
      .send({ price: { amount: 4242, currency: 'EUR' } })
      .expect(200);
    const { body: fresh } = await app.http().get(path).expect(200);
    expect(fresh.price).toEqual({ amount: 4242, currency: 'EUR' });
    await app.http().get(path).set('If-None-Match', second.headers.etag).expect(200);
  });

  it('answers a cached product read as the controller does, with its own correlation id and request metrics', async () => {
    const { body: created } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
    const path = `/api/v1/products/${created.id}`;
    await drained(app);
    const requests = () =>
      counter(app, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/products/:id', status_class: '2xx' });
    const before = await requests();

    // The first read goes through the controller and fills the cache; the second is a hit.
    const read = await app.http().get(path).expect(200);
    const hit = await app.http().get(path).set('x-correlation-id', 'cached-read-1').expect(200);
    expect(hit.text).toBe(read.text);
    expect(hit.headers.etag).toBe(read.headers.etag);
    expect(hit.headers['content-type']).toBe(read.headers['content-type']);
    expect(hit.headers['x-correlation-id']).toBe('cached-read-1');
    expect(await requests()).toBe(before + 2);

    const notModified = await app.http().get(path).set('If-None-Match', `"999", ${read.headers.etag}`).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(read.headers.etag);

    // Known not to exist: cached too, and still the controller's 404 problem.
    const unknown = '0190a000-0000-7000-8000-00000000dead';
    for (let i = 0; i < 2; i++) {
      const missing = await app.http().get(`/api/v1/products/${unknown}`).expect(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.body).toMatchObject({ status: 404, instance: `/api/v1/products/${unknown}` });
    }
  });

  it('judges the credentials of a cached product read: a forged token is refused, a valid one gets the cached answer', async () => {
    const { body: created } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
    const path = `/api/v1/products/${created.id}`;
    await drained(app);
    const cached = await app.http().get(path).expect(200);
    await app.http().get(path).expect(200);

    const forged = await app.http().get(path).set('authorization', 'Bearer not.a.token').expect(401);
    expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
    const signedIn = await staff.get(path).expect(200);
    expect(signedIn.text).toBe(cached.text);
  });

  it('caches search pages and refreshes them when the index changes', async () => {
    const word = uniqueWord();
    const { body: created } = await staff
      .post('/api/v1/products')
      .send(newProduct({ name: `Cached ${word} lamp`, price: { amount: 3000, currency: 'EUR' } }))
      .expect(201);
    const search = () => app.http().get('/api/v1/products').query({ q: word, category: 'bags' }).expect(200);
    await app.eventually(async () => expect((await search()).body.items).toHaveLength(1));

    await drained(app);
    // Invalidations are coalesced, so one from an earlier write may still land between two reads.
    await app.eventually(async () => {
      await search();
      const hitsBefore = await counter(app, 'cache_hits_total', { namespace: 'catalog.search' });
      await search();
      expect(await counter(app, 'cache_hits_total', { namespace: 'catalog.search' })).toBe(hitsBefore + 1);
    });

    await staff
      .patch(`/api/v1/products/${created.id}`)
      .send({ price: { amount: 3500, currency: 'EUR' } })
      .expect(200);
    await app.eventually(async () => {
      const { body } = await search();
      expect(body.items[0].price).toEqual({ amount: 3500, currency: 'EUR' });
    });
  });
});
