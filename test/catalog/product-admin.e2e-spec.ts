import { asAdmin } from '../support/auth';
import { drained, sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';
import { fieldsOf, newProduct, searchable } from './catalog-fixtures';

async function eventTypes(app: TestApp, productId: string): Promise<string[]> {
  const rows = await sql<{ type: string }>(
    app,
    `SELECT type FROM messaging.outbox WHERE aggregate_id = $1 AND type LIKE 'catalog.%' ORDER BY seq`,
    [productId],
  );
  return rows.map((r) => r.type);
}

function batch(size: number, tag: string, overrides: (n: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] {
  return Array.from({ length: size }, (_, n) =>
    newProduct({ sku: `${tag}-${n}`, name: `Bulk ${n}`, category: tag, attributes: { n, even: n % 2 === 0 }, ...overrides(n) }),
  );
}

async function skusStored(app: TestApp, prefix: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }>(app, `SELECT count(*)::int AS n FROM catalog.product WHERE sku LIKE $1`, [`${prefix}%`]);
  return n;
}

describe('Catalog admin: conditional edits, archiving, attributes, bulk import', () => {
  let app: TestApp;
  let staff: HttpRoutes;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('optimistic concurrency', () => {
    it('applies an edit based on the current ETag and answers with the new one', async () => {
      const { body: product } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
      const read = await app.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(read.headers.etag).toBe('"1"');

      const edited = await staff
        .patch(`/api/v1/products/${product.id}`)
        .set('If-Match', read.headers.etag)
        .send({ name: 'First edit' })
        .expect(200);
      expect(edited.headers.etag).toBe('"2"');
      expect(edited.body).toMatchObject({ name: 'First edit', version: 2 });
    });

    it('refuses with 412 an edit based on a stale ETag or body version, and changes nothing', async () => {
      const { body: product } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
      await staff.patch(`/api/v1/products/${product.id}`).set('If-Match', '"1"').send({ name: 'Alice was first' }).expect(200);

      const stale = await staff
        .patch(`/api/v1/products/${product.id}`)
        .set('If-Match', '"1"')
        .send({ name: 'Bob overwrites' })
        .expect(412);
      expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(stale.body).toMatchObject({ status: 412, detail: `product ${product.id} is at version 2, not 1` });
      await staff.patch(`/api/v1/products/${product.id}`).send({ name: 'Bob overwrites', version: 1 }).expect(412);
      await staff.post(`/api/v1/products/${product.id}/archive`).set('If-Match', '"1"').expect(412);

      const { body: after } = await app.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(after).toMatchObject({ name: 'Alice was first', version: 2, status: 'active' });
      expect(await eventTypes(app, product.id)).toEqual(['catalog.product.created', 'catalog.product.updated']);

      await staff.patch(`/api/v1/products/${product.id}`).send({ name: 'Bob, rebased', version: 2 }).expect(200);
      await staff.post(`/api/v1/products/${product.id}/archive`).set('If-Match', '"3"').expect(200);
      expect(await eventTypes(app, product.id)).toEqual([
        'catalog.product.created',
        'catalog.product.updated',
        'catalog.product.updated',
        'catalog.product.archived',
      ]);
    });

    it('lets exactly one of two concurrent edits of the same version win', async () => {
      const { body: product } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
      const statuses = await Promise.all(
        ['Edit A', 'Edit B', 'Edit C'].map(async (name) =>
          (await staff.patch(`/api/v1/products/${product.id}`).set('If-Match', '"1"').send({ name })).status,
        ),
      );
      expect(statuses.sort()).toEqual([200, 412, 412]);
      const { body } = await app.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(body.version).toBe(2);
    });

    it.each([
      ['an unquoted version', { 'If-Match': '1' }, {}, 'If-Match'],
      ['a weak tag', { 'If-Match': 'W/"1"' }, {}, 'If-Match'],
      ['a body version that disagrees with If-Match', { 'If-Match': '"1"' }, { version: 2 }, 'version'],
      ['a version of 0', {}, { version: 0 }, 'version'],
    ])('answers 400 for %s', async (_, headers: Record<string, string>, body: Record<string, unknown>, field) => {
      const { body: product } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
      const response = await staff
        .patch(`/api/v1/products/${product.id}`)
        .set(headers)
        .send({ name: 'x', ...body })
        .expect(400);
      expect(fieldsOf(response.body)).toContain(field);
    });

    it('answers 404 when archiving a product that does not exist', async () => {
      await staff.post('/api/v1/products/0190c000-0000-7000-8000-00000000dead/archive').expect(404);
    });
  });

  describe('attributes', () => {
    it('stores free attributes and replaces them as a whole on update', async () => {
      const attributes = { color: 'black', size: 'M', organic: true, weightGrams: 180.5 };
      const { body: created } = await staff.post('/api/v1/products').send(newProduct({ attributes })).expect(201);
      expect(created.attributes).toEqual(attributes);
      const { body: updated } = await staff
        .patch(`/api/v1/products/${created.id}`)
        .send({ attributes: { material: 'linen' } })
        .expect(200);
      expect(updated.attributes).toEqual({ material: 'linen' });
      expect((await app.http().get(`/api/v1/products/${created.id}`).expect(200)).body.attributes).toEqual({ material: 'linen' });
    });

    it.each<[string, unknown, string]>([
      ['51 keys', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])), 'attributes'],
      ['a nested object', { color: { r: 1 } }, 'attributes.color'],
      ['a list value', { sizes: ['S', 'M'] }, 'attributes.sizes'],
      ['a null value', { color: null }, 'attributes.color'],
      ['a key with spaces', { 'screen size': 14 }, 'attributes'],
      ['a list instead of an object', ['black'], 'attributes'],
    ])('refuses %s with 400 naming the field', async (_, attributes, field) => {
      const { body } = await staff.post('/api/v1/products').send(newProduct({ attributes })).expect(400);
      expect(fieldsOf(body)).toContain(field);
    });

    it('accepts exactly 50 keys', async () => {
      const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`]));
      const { body } = await staff.post('/api/v1/products').send(newProduct({ attributes })).expect(201);
      expect(Object.keys(body.attributes)).toHaveLength(50);
    });
  });

  describe('bulk import', () => {
    it('creates 1,000 products in one call, announces each one, and indexes them all', async () => {
      const tag = `bulk-${Date.now()}`;
      const { body } = await staff.post('/api/v1/products/bulk').send({ products: batch(1000, tag) }).expect(201);
      expect(body.count).toBe(1000);
      expect(new Set(body.ids).size).toBe(1000);
      expect(await skusStored(app, `${tag}-`)).toBe(1000);

      const [first] = body.ids;
      const { body: product } = await app.http().get(`/api/v1/products/${first}`).expect(200);
      expect(product).toMatchObject({ sku: `${tag}-0`, name: 'Bulk 0', attributes: { n: 0, even: true }, version: 1 });
      const [{ n: announced }] = await sql<{ n: number }>(
        app,
        `SELECT count(*)::int AS n FROM messaging.outbox WHERE type = 'catalog.product.created' AND aggregate_id = ANY($1::text[])`,
        [body.ids],
      );
      expect(announced).toBe(1000);

      await app.eventually(async () => {
        const { body: page } = await app
          .http()
          .get('/api/v1/products')
          .query({ category: tag, facets: 'true', limit: 1 })
          .expect(200);
        expect(page.facets.total).toBe(1000);
      }, 120_000);
      const [{ indexed }] = await sql<{ indexed: number }>(
        app,
        `SELECT count(*)::int AS indexed FROM catalog.product WHERE id = ANY($1::uuid[]) AND indexing_status = 'indexed'`,
        [body.ids],
      );
      expect(indexed).toBe(1000);
    });

    it('refuses 1,001 products with 400 naming products, and creates none', async () => {
      const tag = `over-${Date.now()}`;
      const response = await staff.post('/api/v1/products/bulk').send({ products: batch(1001, tag) }).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(fieldsOf(response.body)).toContain('products');
      expect(await skusStored(app, `${tag}-`)).toBe(0);
    });

    it('refuses an empty import', async () => {
      expect(fieldsOf((await staff.post('/api/v1/products/bulk').send({ products: [] }).expect(400)).body)).toEqual([
        'products',
      ]);
    });

    it('names each invalid product field by its place, and creates none', async () => {
      const tag = `invalid-${Date.now()}`;
      const products = batch(5, tag, (n) =>
        n === 1
          ? { price: { amount: 10, currency: 'eur' } }
          : n === 3
            ? { attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }
            : n === 4
              ? { sku: `${tag}-0` }
              : {},
      );
      const { body } = await staff.post('/api/v1/products/bulk').send({ products }).expect(400);
      expect(fieldsOf(body)).toEqual(['products[1].price.currency']);
      const fixed = products.map((p, n) => (n === 1 ? { ...p, price: { amount: 10, currency: 'EUR' } } : p));
      const { body: domain } = await staff.post('/api/v1/products/bulk').send({ products: fixed }).expect(400);
      expect(fieldsOf(domain)).toEqual(['products[3].attributes', 'products[4].sku']);
      expect(await skusStored(app, `${tag}-`)).toBe(0);
    });

    it('refuses with 409 naming a taken sku, and writes nothing at all', async () => {
      const { body: existing } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
      await drained(app);
      const [{ before }] = await sql<{ before: number }>(app, 'SELECT count(*)::int AS before FROM messaging.outbox');
      const tag = `dup-${Date.now()}`;
      const products = batch(10, tag, (n) => (n === 7 ? { sku: existing.sku } : {}));

      const response = await staff.post('/api/v1/products/bulk').send({ products }).expect(409);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.detail).toContain(existing.sku);
      expect(response.body.errors).toEqual([{ field: 'products[7].sku', message: `${existing.sku} is taken` }]);

      expect(await skusStored(app, `${tag}-`)).toBe(0);
      const [{ after }] = await sql<{ after: number }>(app, 'SELECT count(*)::int AS after FROM messaging.outbox');
      expect(after).toBe(before);
      await searchable(app, { category: tag }, []);
    });
  });
});
