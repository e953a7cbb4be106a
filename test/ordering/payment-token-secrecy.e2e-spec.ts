import { randomUUID } from 'node:crypto';
import { asAdmin } from '../support/auth';
import { drained, finalOrder, paymentOf, placeOrder, sql, stockedProduct, stockOf } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

/** Every table of the application's schemas whose rows, read as text, contain `needle`. */
async function tablesContaining(app: TestApp, needle: string): Promise<{ searched: string[]; found: string[] }> {
  const tables = await sql<{ name: string }>(
    app,
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'
     ORDER BY 1`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const [{ n }] = await sql<{ n: number }>(app, `SELECT count(*)::int AS n FROM ${name} t WHERE strpos(t::text, $1) > 0`, [needle]);
    if (n > 0) found.push(name);
  }
  return { searched: tables.map((t) => t.name), found };
}

describe('Payment tokens at rest', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ MESSAGE_MAX_ATTEMPTS: '1', SAGA_DEADLINE_MS: '60000', SAGA_REDRIVE_AFTER_MS: '500' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('are found nowhere in the database: not in the saga, the outbox, the inbox or dead letters', async () => {
    const productId = await stockedProduct(app, 5);
    // The simulated provider approves any tok_ token; this one occurs nowhere else.
    const token = `tok_visa_${randomUUID()}`;
    const admin = await asAdmin(app);
    await sql(app, 'ALTER TABLE payments.payment RENAME TO payment_unavailable');
    let orderId: string;
    try {
      orderId = await placeOrder(app, [{ productId, quantity: 2 }], token);
      // The only delivery of the authorization fails: it is dead-lettered while the order waits.
      await app.eventually(async () => {
        const { body } = await admin.get('/api/v1/admin/dead-letters').expect(200);
        expect(body).toContainEqual(expect.objectContaining({ type: 'payments.payment.authorize', envelope: expect.objectContaining({ aggregateId: orderId }) }));
      });
      const [running] = await sql(app, 'SELECT * FROM ordering.order_saga WHERE order_id = $1', [orderId]);
      expect(running).toMatchObject({ status: 'RUNNING', payment_method_ref: expect.stringMatching(/^pmr1\./) });
    } finally {
      await sql(app, 'ALTER TABLE payments.payment_unavailable RENAME TO payment');
    }

    // The saga sends its sealed payment method again, and payments opens it.
    const order = await finalOrder(app, orderId);
    await drained(app);
    expect(order.status).toBe('COMPLETED');
    expect(await paymentOf(app, orderId)).toMatchObject({ status: 'CAPTURED' });
    const requests = await sql<{ version: number; payload: Record<string, unknown> }>(
      app,
      `SELECT version, envelope->'payload' AS payload FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'payments.payment.authorize' ORDER BY seq`,
      [orderId],
    );
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const request of requests) {
      expect(request.version).toBe(2);
      expect(request.payload).toEqual({
        orderId,
        customerId: order.customerId,
        amount: order.total,
        method: 'card',
        paymentMethodRef: expect.stringMatching(/^pmr1\./),
        paymentMethodRefExpiresAt: expect.any(String),
      });
    }
    const [done] = await sql(app, 'SELECT payment_method_ref FROM ordering.order_saga WHERE order_id = $1', [orderId]);
    expect(done.payment_method_ref).toBeNull();
    const { text: deadLetters } = await admin.get('/api/v1/admin/dead-letters').query({ includeReplayed: true }).expect(200);
    expect(deadLetters).toContain(orderId);
    expect(deadLetters).not.toContain(token);

    const { searched, found } = await tablesContaining(app, token);
    expect(searched).toEqual(
      expect.arrayContaining(['ordering.order_saga', 'ordering.order_event', 'messaging.outbox', 'messaging.inbox', 'messaging.dead_letter']),
    );
    expect(found).toEqual([]);
    // The search does find what is there: the order id, in the same tables.
    expect((await tablesContaining(app, orderId)).found).toEqual(
      expect.arrayContaining(['ordering.order_saga', 'messaging.outbox', 'messaging.dead_letter']),
    );
  });
});

describe('A payment method whose reference expires before the payment step', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Sealed payment methods live a millisecond: placing the order takes longer than that.
    app = await startTestApp({ PAYMENT_METHOD_REF_TTL_MS: '1' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is declined without asking the provider, and the order is rolled back saying why', async () => {
    const productId = await stockedProduct(app, 5);
    const orderId = await placeOrder(app, [{ productId, quantity: 2 }], 'tok_visa');

    const order = await finalOrder(app, orderId);
    await drained(app);
    expect(order).toMatchObject({ status: 'ROLLED_BACK', reasons: ['payment: payment_method_expired'] });
    expect(await paymentOf(app, orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'payment_method_expired', attempts: 0 });
    expect(await stockOf(app, productId)).toEqual({ productId, onHand: 5, reserved: 0, available: 5 });
  });
});
