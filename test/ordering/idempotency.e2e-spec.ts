import { randomUUID } from 'node:crypto';
import { Customer, newCustomer } from '../support/auth';
import { stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

describe('Idempotency-Key on POST /api/v1/orders', () => {
  let app: TestApp;
  let productId: string;

  beforeAll(async () => {
    app = await startTestApp();
    productId = await stockedProduct(app, 1000);
  });

  afterAll(() => app.close());

  const order = (quantity = 1) => ({ items: [{ productId, quantity }], payment: { method: 'card', token: 'tok_visa' } });

  function place(customer: Customer, key: string | undefined, body: object = order()) {
    const request = customer.http().post('/api/v1/orders');
    return (key === undefined ? request : request.set('idempotency-key', key)).send(body);
  }

  async function ordersOf(customer: Customer): Promise<string[]> {
    const { body } = await customer.http().get('/api/v1/orders').query({ limit: 100 }).expect(200);
    return body.items.map((item: { id: string }) => item.id);
  }

  it('answers a request sent again with the same key as the first time, and places one order', async () => {
    const customer = await newCustomer(app);
    const key = randomUUID();
    const first = await place(customer, key).expect(202);
    const again = await place(customer, key).expect(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await ordersOf(customer)).toEqual([first.body.id]);
  });

  it('places one order when twenty requests with the same key race', async () => {
    const customer = await newCustomer(app);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => place(customer, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(await ordersOf(customer)).toEqual([...ids]);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
  });

  it('refuses the key with another request: 422, and nothing is written', async () => {
    const customer = await newCustomer(app);
    const key = randomUUID();
    const first = await place(customer, key, order(1)).expect(202);
    const other = await place(customer, key, order(2)).expect(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.body.detail).toContain('different request');
    const racing = await Promise.all([place(customer, `${key}-b`, order(1)), place(customer, `${key}-b`, order(3))]);
    expect(racing.map((a) => a.status).sort()).toEqual([202, 422]);
    expect((await ordersOf(customer)).sort()).toEqual([first.body.id, racing.find((a) => a.status === 202)!.body.id].sort());
  });

  it('keeps keys per customer: another customer with the same key gets an order of their own', async () => {
    const [ann, bob] = [await newCustomer(app), await newCustomer(app)];
    const key = randomUUID();
    const annOrder = await place(ann, key).expect(202);
    const bobOrder = await place(bob, key).expect(202);
    expect(bobOrder.body.id).not.toBe(annOrder.body.id);
    expect(bobOrder.headers['idempotent-replayed']).toBeUndefined();
  });

  it('forgets a key after 24 hours: then it places a new order', async () => {
    const customer = await newCustomer(app);
    const key = randomUUID();
    const first = await place(customer, key).expect(202);
    await app.sql("UPDATE ordering.idempotency_key SET created_at = now() - interval '25 hours' WHERE customer_id = $1", [customer.id]);
    const later = await place(customer, key, order(2)).expect(202);
    expect(later.body.id).not.toBe(first.body.id);
    expect((await ordersOf(customer)).sort()).toEqual([first.body.id, later.body.id].sort());
  });

  it('refuses a malformed key with 400 naming it, and writes nothing', async () => {
    const customer = await newCustomer(app);
    for (const key of ['has space', 'x'.repeat(256), 'ünïcode']) {
      const { body } = await place(customer, key).expect(400);
      expect(body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    }
    expect(await ordersOf(customer)).toEqual([]);
  });
});
