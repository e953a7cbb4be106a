import { newId } from '../../libs/persistence';
import { asAdmin, newCustomer } from '../support/auth';
import { sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';
import { fieldsOf, newProduct } from './catalog-fixtures';

/** A product response without its indexing status, which moves on its own as search catches up. */
function withoutIndexing({ indexing: _, ...product }: Record<string, unknown>): Record<string, unknown> {
  return product;
}

interface CatalogEvent {
  type: string;
  payload: Record<string, unknown>;
}

async function catalogEvents(app: TestApp, productId: string): Promise<CatalogEvent[]> {
  return sql(
    app,
    `SELECT type, envelope->'payload' AS payload FROM messaging.outbox
     WHERE aggregate_id = $1 AND type LIKE 'catalog.%' ORDER BY seq`,
    [productId],
  );
}

describe('Catalog products API', () => {
  let app: TestApp;
  let staff: HttpRoutes;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates a product, shows it, and announces it with ProductCreatedV1', async () => {
    const input = newProduct({ popularity: 7 });
    const created = await staff.post('/api/v1/products').send(input).expect(201);

    expect(created.body).toEqual({
      id: expect.any(String),
      ...input,
      popularity: 7,
      attributes: {},
      status: 'active',
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      indexing: { status: 'pending', indexedAt: null, error: null },
    });
    expect(created.headers.location).toBe(`/api/v1/products/${created.body.id}`);
    expect(created.headers.etag).toBe('"1"');

    const fetched = await app.http().get(created.headers.location).expect(200);
    expect(withoutIndexing(fetched.body)).toEqual(withoutIndexing(created.body));
    expect(fetched.headers.etag).toBe('"1"');

    expect(await catalogEvents(app, created.body.id)).toEqual([
      {
        type: 'catalog.product.created',
        payload: {
          productId: created.body.id,
          sku: input.sku,
          name: input.name,
          category: input.category,
          price: input.price,
          version: 1,
        },
      },
    ]);
  });

  it('defaults popularity to 0 and accepts an empty description', async () => {
    const { body } = await staff.post('/api/v1/products').send(newProduct({ description: '' })).expect(201);
    expect(body).toMatchObject({ popularity: 0, description: '' });
  });

  it('lists every product exactly once, page after page, in creation order with sort=oldest', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const { body } = await staff.post('/api/v1/products').send(newProduct({ name: `Listed ${n}` })).expect(201);
      ids.push(body.id);
    }
    const [{ total }] = await sql<{ total: number }>(app, 'SELECT count(*)::int AS total FROM catalog.product');

    // The list is the search read model, which follows the write model asynchronously.
    await app.eventually(async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const { body } = await app
          .http()
          .get('/api/v1/products')
          .query({ sort: 'oldest', limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        expect(body.items.length).toBeLessThanOrEqual(2);
        seen.push(...body.items.map((p: { id: string }) => p.id));
        cursor = body.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 100);

      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
      expect(pages).toBe(Math.ceil(total / 2));
    });
  });

  it('lists 20 products per page unless told otherwise, newest first', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 21; n++) ids.push((await staff.post('/api/v1/products').send(newProduct()).expect(201)).body.id);
    await app.eventually(async () => {
      const { body } = await app.http().get('/api/v1/products').expect(200);
      expect(body.items).toHaveLength(20);
      expect(body.items.map((p: { id: string }) => p.id)).toEqual(ids.slice(1).reverse());
      expect(typeof body.nextCursor).toBe('string');
    });
  });

  it('changes some fields, bumps the version and announces the new snapshot', async () => {
    const { body: created } = await staff.post('/api/v1/products').send(newProduct()).expect(201);

    const { body: updated } = await staff
      .patch(`/api/v1/products/${created.id}`)
      .send({ name: 'Canvas tote bag, natural', price: { amount: 1799, currency: 'EUR' } })
      .expect(200);

    expect(withoutIndexing(updated)).toEqual({
      ...withoutIndexing(created),
      name: 'Canvas tote bag, natural',
      price: { amount: 1799, currency: 'EUR' },
      version: 2,
      updatedAt: expect.any(String),
    });
    expect(updated.indexing.status).toBe('pending');
    expect(withoutIndexing((await app.http().get(`/api/v1/products/${created.id}`).expect(200)).body)).toEqual(
      withoutIndexing(updated),
    );
    const events = await catalogEvents(app, created.id);
    expect(events.map((e) => e.type)).toEqual(['catalog.product.created', 'catalog.product.updated']);
    expect(events[1].payload).toMatchObject({ name: 'Canvas tote bag, natural', price: { amount: 1799 }, version: 2 });
  });

  it('answers 409 when a new or changed sku is taken, and changes nothing', async () => {
    const { body: first } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
    const { body: second } = await staff.post('/api/v1/products').send(newProduct()).expect(201);

    const duplicate = await staff.post('/api/v1/products').send(newProduct({ sku: first.sku })).expect(409);
    expect(duplicate.headers['content-type']).toMatch(/application\/problem\+json/);

    await staff.patch(`/api/v1/products/${second.id}`).send({ sku: first.sku, name: 'Renamed' }).expect(409);
    expect(withoutIndexing((await app.http().get(`/api/v1/products/${second.id}`).expect(200)).body)).toEqual(
      withoutIndexing(second),
    );
    expect((await catalogEvents(app, second.id)).map((e) => e.type)).toEqual(['catalog.product.created']);
  });

  it('keeps the sku of a product that patches it to itself', async () => {
    const { body } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
    const { body: updated } = await staff.patch(`/api/v1/products/${body.id}`).send({ sku: body.sku }).expect(200);
    expect(updated).toMatchObject({ sku: body.sku, version: 2 });
  });

  describe('rejects invalid input with 400 naming the field', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown field', { color: 'blue' }, 'color'],
      ['a lowercase currency', { price: { amount: 100, currency: 'eur' } }, 'price.currency'],
      ['a negative price', { price: { amount: -1, currency: 'EUR' } }, 'price.amount'],
      ['a fractional price', { price: { amount: 10.5, currency: 'EUR' } }, 'price.amount'],
      ['a price over 10^12', { price: { amount: 1_000_000_000_001, currency: 'EUR' } }, 'price.amount'],
      ['a missing price', { price: undefined }, 'price'],
      ['an unknown price field', { price: { amount: 100, currency: 'EUR', tax: 19 } }, 'price.tax'],
      ['a sku with spaces', { sku: 'TOTE BAG' }, 'sku'],
      ['a sku of 65 characters', { sku: 'S'.repeat(65) }, 'sku'],
      ['an empty name', { name: '' }, 'name'],
      ['a negative popularity', { popularity: -3 }, 'popularity'],
    ])('on create: %s', async (_, overrides, field) => {
      const { body } = await staff.post('/api/v1/products').send(newProduct(overrides)).expect(400);
      expect(fieldsOf(body)).toContain(field);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown field', { color: 'blue' }, 'color'],
      ['a null name', { name: null }, 'name'],
      ['a bad currency', { price: { amount: 100, currency: 'EURO' } }, 'price.currency'],
      ['no field at all', {}, 'body'],
    ])('on update: %s', async (_, change, field) => {
      const { body: product } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
      const { body } = await staff.patch(`/api/v1/products/${product.id}`).send(change).expect(400);
      expect(fieldsOf(body)).toContain(field);
    });

    it.each(['0', '101', 'ten', '2.5'])('on list: limit=%s', async (limit) => {
      const { body } = await app.http().get('/api/v1/products').query({ limit }).expect(400);
      expect(fieldsOf(body)).toContain('limit');
    });

    it.each([
      ['garbage', 'not-a-cursor'],
      ['a cursor without an id', Buffer.from(JSON.stringify({ offset: 3 })).toString('base64url')],
      ['a cursor of the old id-only form', Buffer.from(JSON.stringify({ id: newId() })).toString('base64url')],
      [
        'a cursor whose id is not a UUID',
        Buffer.from(JSON.stringify({ s: 'newest', k: '2026-01-01T00:00:00.000000Z', id: 'x' })).toString('base64url'),
      ],
    ])('on list: %s', async (_, cursor) => {
      const { body } = await app.http().get('/api/v1/products').query({ cursor }).expect(400);
      expect(fieldsOf(body)).toContain('cursor');
    });

    it('on get and update: an id that is not a UUID', async () => {
      expect(fieldsOf((await app.http().get('/api/v1/products/42').expect(400)).body)).toEqual(['id']);
      const patched = await staff.patch('/api/v1/products/42').send({ name: 'x' }).expect(400);
      expect(fieldsOf(patched.body)).toEqual(['id']);
    });
  });

  it('answers 404 for a product that does not exist', async () => {
    const missing = newId();
    const got = await app.http().get(`/api/v1/products/${missing}`).expect(404);
    expect(got.headers['content-type']).toMatch(/application\/problem\+json/);
    await staff.patch(`/api/v1/products/${missing}`).send({ name: 'Ghost' }).expect(404);
  });

  it('lets only a caller with catalog:write create, change, import or archive, and writes nothing for the others', async () => {
    const { body: product } = await staff.post('/api/v1/products').send(newProduct()).expect(201);
    const customer = await newCustomer(app);
    const productCount = async () => (await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM catalog.product'))[0].n;
    const before = await productCount();
    const writes: [HttpRoutes, number][] = [
      [app.http(), 401],
      [customer.http(), 403],
    ];
    for (const [caller, status] of writes) {
      await caller.post('/api/v1/products').send(newProduct()).expect(status);
      await caller.post('/api/v1/products/bulk').send({ products: [newProduct()] }).expect(status);
      await caller.patch(`/api/v1/products/${product.id}`).send({ name: 'Taken over' }).expect(status);
      await caller.post(`/api/v1/products/${product.id}/archive`).expect(status);
    }
    expect(await productCount()).toBe(before);
    expect(withoutIndexing((await app.http().get(`/api/v1/products/${product.id}`).expect(200)).body)).toEqual(withoutIndexing(product));
    expect((await catalogEvents(app, product.id)).map((e) => e.type)).toEqual(['catalog.product.created']);
  });
});
