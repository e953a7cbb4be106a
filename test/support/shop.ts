import { newId } from '../../libs/persistence';
import { asAdmin, Customer, shopperOf } from './auth';
import { TestApp } from './test-app';

/** Statuses an order ends in: nothing follows them. */
export const FINAL_STATUSES = ['COMPLETED', 'CANCELLED', 'REJECTED', 'ROLLED_BACK'];

/** How many orders are not in a final status yet; its parameter is FINAL_STATUSES. */
export const UNDECIDED_ORDERS = 'SELECT count(*)::int AS n FROM ordering.order_view WHERE status <> ALL($1::text[])';

/**
 * How far orders got, for a suite whose orders did not finish to say why: each order's status, its
 * saga's status/inventory/payment, its events in order and its payment's status. Add a WHERE on
 * `v` (the order view).
 */
export const ORDER_PROGRESS = `
  SELECT v.id, v.status, concat_ws('/', s.status, s.inventory, s.payment) AS saga,
         (SELECT string_agg(e.type, ',' ORDER BY e.version) FROM ordering.order_event e WHERE e.order_id = v.id) AS events,
         (SELECT string_agg(p.status, ',') FROM payments.payment p WHERE p.order_id = v.id) AS payment
  FROM ordering.order_view v LEFT JOIN ordering.order_saga s ON s.order_id = v.id`;

/** Resolves once every committed message has been delivered (or dead-lettered). */
export function drained(app: TestApp, timeoutMs?: number): Promise<void> {
  return app.drained(timeoutMs);
}

export function sql<T = Record<string, unknown>>(app: TestApp, query: string, params: unknown[] = []): Promise<T[]> {
  return app.sql<T>(query, params);
}

/** A new catalog product; ordering and inventory learn of it from the catalog's event, a moment later. */
export async function catalogProduct(app: TestApp, price = 1000): Promise<string> {
  const created = await (await asAdmin(app))
    .post('/api/v1/products')
    .send({
      sku: `SKU-${newId()}`,
      name: 'Test product',
      description: 'A product made by a test',
      category: 'test',
      price: { amount: price, currency: 'EUR' },
    })
    .expect(201);
  return created.body.id;
}

/** Sets a catalog product's stock as soon as inventory knows the product (404 until then). */
export function setStockOnceKnown(app: TestApp, productId: string, onHand: number): Promise<Record<string, number>> {
  return app.eventually(async () => {
    const { body } = await (await asAdmin(app)).put(`/api/v1/inventory/${productId}`).send({ onHand }).expect(200);
    return body;
  });
}

/** A product with stock, known to ordering's price replica when this resolves. */
export async function stockedProduct(app: TestApp, onHand: number, price = 1000): Promise<string> {
  const productId = await catalogProduct(app, price);
  await setStockOnceKnown(app, productId, onHand);
  await drained(app);
  return productId;
}

/** Places an order as `customer`, or as the app's one shopper. */
export async function placeOrder(
  app: TestApp,
  items: { productId: string; quantity: number }[],
  token = 'tok_visa',
  customer?: Customer,
): Promise<string> {
  const response = await (customer ?? (await shopperOf(app)))
    .http()
    .post('/api/v1/orders')
    .send({ items, payment: { method: 'card', token } })
    .expect(202);
  return response.body.id;
}

export async function finalOrder(app: TestApp, orderId: string, timeoutMs = 20_000): Promise<Record<string, unknown> & { status: string; reasons: string[] }> {
  return app.eventually(async () => {
    const { body } = await (await asAdmin(app)).get(`/api/v1/orders/${orderId}`).expect(200);
    if (!FINAL_STATUSES.includes(body.status)) throw new Error(`order ${orderId} is ${body.status}`);
    return body;
  }, timeoutMs);
}

export async function stockOf(app: TestApp, productId: string): Promise<Record<string, number>> {
  const { body } = await app.http().get(`/api/v1/inventory/${productId}`).expect(200);
  return body;
}

/** The order's payment: the one item of its payment list. */
export async function paymentOf(app: TestApp, orderId: string): Promise<Record<string, unknown> & { status: string }> {
  const { body } = await (await asAdmin(app)).get('/api/v1/payments').query({ orderId }).expect(200);
  expect(body.items).toHaveLength(1);
  return body.items[0];
}
