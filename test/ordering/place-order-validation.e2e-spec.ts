import { ProductArchivedV1, ProductUpdatedV1 } from '../../libs/contracts/catalog';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../libs/http';
import { UnitOfWork } from '../../libs/messaging';
import { newId } from '../../libs/persistence';
import { asAdmin, Customer, newCustomer, withToken } from '../support/auth';
import { drained, sql, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

/** Rows that any accepted order would write. */
async function writes(app: TestApp): Promise<number[]> {
  const rows = await sql<{ n: number }>(
    app,
    `SELECT (SELECT count(*) FROM ordering.order_event)::int AS n UNION ALL
     SELECT (SELECT count(*) FROM ordering.order_saga)::int UNION ALL
     SELECT (SELECT count(*) FROM messaging.outbox)::int`,
  );
  return rows.map((r) => r.n);
}

describe('POST /api/v1/orders with bad input', () => {
  let app: TestApp;
  let productId: string;
  let customer: Customer;
  const valid = () => ({
    items: [{ productId, quantity: 1 }],
    payment: { method: 'card', token: 'tok_visa' },
  });

  beforeAll(async () => {
    app = await startTestApp();
    productId = await stockedProduct(app, 5);
    customer = await newCustomer(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  const cases: [string, () => object, string][] = [
    ['an unknown product', () => ({ ...valid(), items: [{ productId, quantity: 1 }, { productId: newId(), quantity: 1 }] }), 'items[1].productId'],
    ['quantity 0', () => ({ ...valid(), items: [{ productId, quantity: 0 }] }), 'items[0].quantity'],
    ['quantity 1001', () => ({ ...valid(), items: [{ productId, quantity: 1001 }] }), 'items[0].quantity'],
    ['a fractional quantity', () => ({ ...valid(), items: [{ productId, quantity: 1.5 }] }), 'items[0].quantity'],
    ['101 lines', () => ({ ...valid(), items: Array.from({ length: 101 }, () => ({ productId, quantity: 1 })) }), 'items'],
    ['no lines', () => ({ ...valid(), items: [] }), 'items'],
    ['an unknown top-level field', () => ({ ...valid(), discount: 100 }), 'discount'],
    ['an unknown line field', () => ({ ...valid(), items: [{ productId, quantity: 1, unitPrice: 1 }] }), 'items[0].unitPrice'],
    ['an unknown payment method', () => ({ ...valid(), payment: { method: 'cash', token: 'tok_visa' } }), 'payment.method'],
    ['a missing payment', () => ({ items: [{ productId, quantity: 1 }] }), 'payment'],
    ['a malformed product id', () => ({ ...valid(), items: [{ productId: 'nope', quantity: 1 }] }), 'items[0].productId'],
    ['a customerId, as the customer is the caller', () => ({ ...valid(), customerId: 'cus_1' }), 'customerId'],
  ];

  it.each(cases)('rejects %s with 400 naming %s and writes nothing', async (_name, body, field) => {
    await drained(app);
    const before = await writes(app);
    const response = await customer.http().post('/api/v1/orders').send(body()).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await writes(app)).toEqual(before);
  });

  it('rejects malformed JSON with a 400 problem and writes nothing', async () => {
    const before = await writes(app);
    const response = await customer
      .http()
      .post('/api/v1/orders')
      .set('content-type', 'application/json')
      .send('{"items": [')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.status).toBe(400);
    expect(await writes(app)).toEqual(before);
  });

  it.each([
    ['JSON nested 5,000 levels deep', 400, `{"items": ${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['a body over the 64 KiB limit', 413, `{"items": "${'a'.repeat(DEFAULT_BODY_LIMIT_BYTES)}"}`],
  ])('answers %s with a %i problem and writes nothing', async (_name, status, body) => {
    await drained(app);
    const before = await writes(app);
    const response = await customer.http().post('/api/v1/orders').set('content-type', 'application/json').send(body).expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.status).toBe(status);
    expect(await writes(app)).toEqual(before);
  });

  it('refuses an order whose total would pass 10^12 minor units, and writes nothing', async () => {
    // At the catalog's highest price, ten lines of 1,000 units come to 10^16, past 2^53.
    const priciest = await stockedProduct(app, 5, 1_000_000_000_000);
    await drained(app);
    const before = await writes(app);
    const items = Array.from({ length: 10 }, () => ({ productId: priciest, quantity: 1000 }));
    const response = await customer.http().post('/api/v1/orders').send({ ...valid(), items }).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([{ field: 'items', message: 'the order total would exceed 1000000000000 minor units' }]);
    expect(await writes(app)).toEqual(before);
  });

  it('refuses the bad order of a group placed together, and places the others', async () => {
    await drained(app);
    const before = await writes(app);
    const bad = { ...valid(), items: [{ productId: newId(), quantity: 1 }] };
    const responses = await Promise.all(
      [valid(), bad, valid(), valid()].map((body) => customer.http().post('/api/v1/orders').send(body)),
    );
    expect(responses.map((r) => r.status)).toEqual([202, 400, 202, 202]);
    expect(responses[1].body.errors.map((e: { field: string }) => e.field)).toEqual(['items[0].productId']);
    const placed = responses.filter((r) => r.status === 202).map((r) => r.body.id as string);
    const sagas = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM ordering.order_saga WHERE order_id = ANY($1::uuid[])', [placed]);
    expect(sagas[0].n).toBe(3);
    expect((await writes(app))[1]).toBe(before[1] + 3);
  });

  it('refuses an archived product as unknown, and ignores an older update of it', async () => {
    const archivedId = await stockedProduct(app, 5);
    const uow = app.nest.get(UnitOfWork);
    await uow.run((tx) => Promise.resolve(tx.publish(new ProductArchivedV1({ productId: archivedId, version: 2 }), archivedId)));
    await uow.run((tx) =>
      Promise.resolve(
        tx.publish(
          new ProductUpdatedV1({
            productId: archivedId,
            sku: 'STALE',
            name: 'Stale update',
            category: 'test',
            price: { amount: 1, currency: 'EUR' },
            version: 1,
          }),
          archivedId,
        ),
      ),
    );
    await drained(app);
    const response = await customer
      .http()
      .post('/api/v1/orders')
      .send({ ...valid(), items: [{ productId: archivedId, quantity: 1 }] })
      .expect(400);
    expect(response.body.errors).toEqual([{ field: 'items[0].productId', message: 'is not a product in the catalog' }]);
  });

  it('refuses an order without a customer token: 401 without a valid one, 403 for a caller who may not order; writes nothing', async () => {
    await drained(app);
    const before = await writes(app);
    const anonymous = await app.http().post('/api/v1/orders').send(valid()).expect(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="commerce"');
    const tampered = `${customer.session.accessToken.slice(0, -6)}AAAAAA`;
    const forged = await withToken(app.http(), tampered).post('/api/v1/orders').send(valid()).expect(401);
    expect(forged.headers['www-authenticate']).toBe('Bearer realm="commerce", error="invalid_token"');
    // Staff and admins see every order; only customers place them.
    await (await asAdmin(app)).post('/api/v1/orders').send(valid()).expect(403);
    expect(await writes(app)).toEqual(before);
  });

  it("answers another customer's order like a missing one, and lists only the caller's own", async () => {
    const { body: placed } = await customer.http().post('/api/v1/orders').send(valid()).expect(202);
    const stranger = await newCustomer(app);
    for (const path of [`/api/v1/orders/${placed.id}`, `/api/v1/orders/${placed.id}/events`]) {
      await customer.http().get(path).expect(200);
      const hidden = await stranger.http().get(path).expect(404);
      expect(hidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const { body: strangers } = await stranger.http().get('/api/v1/orders').query({ customerId: customer.id }).expect(200);
    expect(strangers).toEqual({ items: [], nextCursor: null });
    const { body: order } = await (await asAdmin(app)).get(`/api/v1/orders/${placed.id}`).expect(200);
    expect(order.customerId).toBe(customer.id);
  });

  it('answers 404 problem for an unknown order and 400 for a malformed id', async () => {
    const missing = await customer.http().get(`/api/v1/orders/${newId()}`).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    await customer.http().get('/api/v1/orders/not-a-uuid').expect(400);
  });

  it('lists orders by customer with keyset pagination', async () => {
    const pager = await newCustomer(app);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { body } = await pager.http().post('/api/v1/orders').send(valid()).expect(202);
      ids.push(body.id);
    }
    const admin = await asAdmin(app);
    const first = await admin.get('/api/v1/orders').query({ customerId: pager.id, limit: 2 }).expect(200);
    const second = await admin.get('/api/v1/orders').query({ customerId: pager.id, limit: 2, cursor: first.body.nextCursor }).expect(200);
    expect(second.body.nextCursor).toBeNull();
    const seen = [...first.body.items, ...second.body.items].map((o: { id: string }) => o.id);
    expect(seen).toEqual([...ids].reverse());
    // A customer's own list needs no filter: it holds their orders only.
    const own = await pager.http().get('/api/v1/orders').query({ limit: 10 }).expect(200);
    expect(own.body.items.map((o: { id: string }) => o.id)).toEqual([...ids].reverse());
    await pager.http().get('/api/v1/orders').query({ cursor: 'garbage' }).expect(400);
    await pager.http().get('/api/v1/orders').query({ limit: 0 }).expect(400);
    await pager.http().get('/api/v1/orders').query({ status: 'LOST' }).expect(400);
  });
});
