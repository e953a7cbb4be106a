import { OrderCompletedV1, OrderConfirmedV1 } from '../../libs/contracts/ordering';
import { createEnvelope } from '../../libs/messaging';
import { InboundDispatcher } from '../../libs/messaging/inbound-dispatcher';
import { newId } from '../../libs/persistence';
import { sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

const origin = { correlationId: newId(), causationId: null, traceparent: null };
const money = (amount: number) => ({ amount, currency: 'EUR' });

function confirmed(orderId: string, customerId: string, amount: number) {
  const lines = [{ productId: newId(), quantity: 1, unitPrice: money(amount) }];
  return createEnvelope(new OrderConfirmedV1({ orderId, customerId, total: money(amount), lines }), orderId, origin);
}

function completed(orderId: string, customerId: string, amount: number) {
  return createEnvelope(new OrderCompletedV1({ orderId, customerId, total: money(amount) }), orderId, origin);
}

interface FactsRow {
  order_id: string;
  total_amount: string | null;
  confirmed: boolean;
  completed: boolean;
}

/** What receipts knows of the orders, in order id order. */
function factsOf(app: TestApp, orderIds: string[]): Promise<FactsRow[]> {
  return sql<FactsRow>(
    app,
    `SELECT order_id, total_amount::text, confirmed_at IS NOT NULL AS confirmed, completed_at IS NOT NULL AS completed
     FROM receipts.receipt WHERE order_id = ANY($1::uuid[]) ORDER BY order_id`,
    [orderIds],
  );
}

describe("Receipts' record of order facts", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('records a batch of facts in one transaction, the first of each kind per order, and adds later facts to them', async () => {
    const customerId = newId();
    const [a, b, c] = [newId(), newId(), newId()].sort();
    const dispatcher = app.nest.get(InboundDispatcher);
    const batch = [confirmed(a, customerId, 100), completed(b, customerId, 200), confirmed(a, customerId, 999), completed(a, customerId, 100), confirmed(c, customerId, 300)];

    expect((await dispatcher.dispatchBatch(batch, 'receipts')).size).toBe(0);

    expect(await factsOf(app, [a, b, c])).toEqual([
      { order_id: a, total_amount: '100', confirmed: true, completed: true },
      { order_id: b, total_amount: null, confirmed: false, completed: true },
      { order_id: c, total_amount: '300', confirmed: true, completed: false },
    ]);
    const [{ transactions }] = await sql<{ transactions: number }>(
      app,
      `SELECT count(DISTINCT processed_at)::int AS transactions FROM messaging.inbox WHERE message_id = ANY($1::uuid[])`,
      [batch.map((envelope) => envelope.id)],
    );
    expect(transactions).toBe(1);

    expect((await dispatcher.dispatchBatch([confirmed(b, customerId, 200), completed(c, customerId, 300)], 'receipts')).size).toBe(0);
    expect(await factsOf(app, [b, c])).toEqual([
      { order_id: b, total_amount: '200', confirmed: true, completed: true },
      { order_id: c, total_amount: '300', confirmed: true, completed: true },
    ]);
  });
});
