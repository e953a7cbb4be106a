import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testProvider, type AppProcess } from './app-process';
import { ADMIN_ENV, bearer, logInAt, Session } from './auth';
import { eventually } from './test-env';

/** A JSON request to a service run as its own process, as `session` when given. */
export async function call(url: string, init: RequestInit, session?: Session): Promise<Response> {
  return fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(session ? bearer(session) : {}), ...init.headers } });
}

/** The JSON body of a 2xx answer; any other answer throws, naming it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted, not typed
export async function json(url: string, init: RequestInit, session?: Session): Promise<any> {
  const response = await call(url, init, session);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The `n` column of the query's one row. */
export async function count(db: Client, sql: string, params: unknown[] = []): Promise<number> {
  return (await db.query<{ n: number }>(sql, params)).rows[0].n;
}

/** A catalog product with `onHand` units, known to ordering's price replica when this resolves. */
export async function stockedProductAt(app: AppProcess, db: Client, onHand: number, price = 1000): Promise<string> {
  const admin = await logInAt(app.url, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
  const product = { sku: `FAULT-${randomUUID()}`, name: 'Fault suite product', description: 'x', category: 'test', price: { amount: price, currency: 'EUR' } };
  const { id } = await json(`${app.url}/api/v1/products`, { method: 'POST', body: JSON.stringify(product) }, admin);
  await eventually(() => json(`${app.url}/api/v1/inventory/${id}`, { method: 'PUT', body: JSON.stringify({ onHand }) }, admin));
  await eventually(async () => {
    const { rows } = await db.query('SELECT 1 FROM ordering.product_price WHERE product_id = $1', [id]);
    expect(rows).toHaveLength(1);
  });
  return id;
}

/** An order a crash test sends, and sends again with the same key until it is answered. */
export interface RetriedOrder {
  key: string;
  body: string;
  /** The 202's order id, once a request was answered. */
  orderId?: string;
}

/** `count` orders of `quantity` of one product, each with its own key; every fifth card is declined. */
export function ordersOf(productId: string, count: number, quantity: number): RetriedOrder[] {
  return Array.from({ length: count }, (_, i) => ({
    key: randomUUID(),
    body: JSON.stringify({
      items: [{ productId, quantity }],
      payment: { method: 'card', token: i % 5 === 4 ? 'tok_chargeDeclined' : 'tok_visa' },
    }),
  }));
}

/**
 * Sends the order to the service at `url`. No answer at all (the process died) and a 503 with
 * Retry-After leave it to be sent again: after a restart the dead process's messages are old, so
 * admission control may refuse orders until delivery catches up. Any other answer but 202 fails.
 */
export async function sendOrder(url: string, customer: Session, order: RetriedOrder): Promise<void> {
  let response: Response;
  try {
    response = await call(`${url}/api/v1/orders`, { method: 'POST', body: order.body, headers: { 'idempotency-key': order.key } }, customer);
  } catch {
    return;
  }
  if (response.status === 503 && response.headers.has('retry-after')) return;
  if (response.status !== 202) throw new Error(`order ${order.key}: ${response.status} ${await response.text()}`);
  order.orderId = ((await response.json()) as { id: string }).id;
}

/**
 * What the card provider holds for the payments in `rows`: every captured payment's intent took its
 * amount once, and every other authorization was let go, so no customer pays for an order that
 * was not confirmed, nor twice for one that was.
 */
export async function expectProviderAgrees(rows: { status: string; amount: string; provider_ref: string | null }[]): Promise<void> {
  const { url } = await testProvider();
  for (const { status, amount, provider_ref: reference } of rows) {
    if (reference === null) continue;
    const intent = await json(`${url}/card/v1/payment_intents/${reference}`, {});
    const held = { payment: status, intent: intent.status, received: intent.amount_received };
    if (status === 'CAPTURED') expect(held).toEqual({ payment: status, intent: 'succeeded', received: Number(amount) });
    else if (status === 'VOIDED') expect(held).toEqual({ payment: status, intent: 'canceled', received: 0 });
    else expect(held).toEqual({ payment: 'DECLINED', intent: 'requires_payment_method', received: 0 });
  }
}
