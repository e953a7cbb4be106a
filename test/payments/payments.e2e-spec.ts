import { AuthorizePaymentV1, AuthorizePaymentV2, CapturePaymentV1, VoidPaymentV1 } from '../../libs/contracts/payments';
import { newId } from '../../libs/persistence';
import { asAdmin, newCustomer } from '../support/auth';
import { drained, sql } from '../support/shop';
import { sealPaymentMethod } from '../support/payment-requests';
import { startTestApp, TestApp } from '../support/test-app';

const RETRY_ATTEMPTS = 3;
const REPLY_TYPES = [
  'payments.payment.authorized',
  'payments.payment.declined',
  'payments.payment.voided',
  'payments.payment.captured',
];

interface Reply {
  type: string;
  payload: Record<string, unknown>;
}

/** An authorization request as the order's saga sends it: the token sealed for payments at `sealedAt`. */
function authorize(orderId: string, token: string, sealedAt = new Date(), customerId = 'cus_payments'): AuthorizePaymentV2 {
  const { ref, expiresAt } = sealPaymentMethod(orderId, token, sealedAt);
  return new AuthorizePaymentV2({
    orderId,
    customerId,
    amount: { amount: 2599, currency: 'EUR' },
    method: 'card',
    paymentMethodRef: ref,
    paymentMethodRefExpiresAt: expiresAt.toISOString(),
  });
}

/** The replies payments published for the order, oldest first. */
async function replies(app: TestApp, orderId: string): Promise<Reply[]> {
  return sql(
    app,
    `SELECT type, envelope->'payload' AS payload FROM messaging.outbox
     WHERE aggregate_id = $1 AND type = ANY($2) ORDER BY seq`,
    [orderId, REPLY_TYPES],
  );
}

/** The order's payment: the one item of its payment list. */
async function payment(app: TestApp, orderId: string): Promise<Record<string, unknown>> {
  const { body } = await (await asAdmin(app)).get('/api/v1/payments').query({ orderId }).expect(200);
  expect(body.items).toHaveLength(1);
  return body.items[0];
}

/** Waits until the order's payment has the status and the provider was called `attempts` times. */
async function settled(app: TestApp, orderId: string, status: string, attempts: number): Promise<Record<string, unknown>> {
  return app.eventually(async () => {
    const body = await payment(app, orderId);
    expect(body).toMatchObject({ status, attempts });
    return body;
  });
}

async function repliesAfterDelivery(app: TestApp, orderId: string, count: number): Promise<Reply[]> {
  return app.eventually(async () => {
    const found = await replies(app, orderId);
    expect(found).toHaveLength(count);
    return found;
  });
}

describe('Payments', () => {
  let app: TestApp;

  beforeAll(async () => {
    // The provider timeout stays the suites' 5 s: the first call meets a simulator thread just
    // started, which a loaded machine can keep from answering for over a second.
    app = await startTestApp({
      PAYMENT_RETRY_ATTEMPTS: String(RETRY_ATTEMPTS),
      PAYMENT_RETRY_BASE_MS: '5',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('authorizes with an approving token and tells the order', async () => {
    const orderId = newId();
    await app.publish(authorize(orderId, 'tok_visa'), orderId);

    const body = await settled(app, orderId, 'AUTHORIZED', 1);
    expect(body).toEqual({
      id: expect.any(String),
      orderId,
      status: 'AUTHORIZED',
      amount: { amount: 2599, currency: 'EUR' },
      method: 'card',
      provider: 'card',
      attempts: 1,
      declineReason: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await repliesAfterDelivery(app, orderId, 1)).toEqual([
      {
        type: 'payments.payment.authorized',
        payload: { orderId, paymentId: body.id, amount: { amount: 2599, currency: 'EUR' } },
      },
    ]);
  });

  it('answers a repeated authorization request from the stored payment, without calling the provider again', async () => {
    const orderId = newId();
    await app.publish(authorize(orderId, 'tok_visa'), orderId);
    await settled(app, orderId, 'AUTHORIZED', 1);

    await app.publish(authorize(orderId, 'tok_visa'), orderId);

    const found = await repliesAfterDelivery(app, orderId, 2);
    expect(found.map((r) => r.type)).toEqual(['payments.payment.authorized', 'payments.payment.authorized']);
    expect(await payment(app, orderId)).toMatchObject({ status: 'AUTHORIZED', attempts: 1 });
  });

  it('declines with a declining token and tells the order why', async () => {
    const orderId = newId();
    await app.publish(authorize(orderId, 'tok_chargeDeclined'), orderId);

    expect(await settled(app, orderId, 'DECLINED', 1)).toMatchObject({ declineReason: 'card_declined' });
    expect(await repliesAfterDelivery(app, orderId, 1)).toEqual([
      { type: 'payments.payment.declined', payload: { orderId, reason: 'card_declined' } },
    ]);
  });

  it('captures an authorized payment once, and answers a repeated capture again', async () => {
    const orderId = newId();
    await app.publish(authorize(orderId, 'tok_visa'), orderId);
    await settled(app, orderId, 'AUTHORIZED', 1);

    await app.publish(new CapturePaymentV1({ orderId }), orderId);
    await settled(app, orderId, 'CAPTURED', 1);
    await app.publish(new CapturePaymentV1({ orderId }), orderId);

    const found = await repliesAfterDelivery(app, orderId, 3);
    expect(found.map((r) => r.type)).toEqual([
      'payments.payment.authorized',
      'payments.payment.captured',
      'payments.payment.captured',
    ]);
    // A captured payment cannot be voided any more.
    await app.publish(new VoidPaymentV1({ orderId }), orderId);
    await drained(app);
    expect(await payment(app, orderId)).toMatchObject({ status: 'CAPTURED' });
    expect(await replies(app, orderId)).toHaveLength(3);
  });

  it('neither captures nor voids a declined payment', async () => {
    const orderId = newId();
    await app.publish(authorize(orderId, 'tok_chargeDeclined'), orderId);
    await settled(app, orderId, 'DECLINED', 1);

    await app.publish(new CapturePaymentV1({ orderId }), orderId);
    await app.publish(new VoidPaymentV1({ orderId }), orderId);
    await drained(app);

    expect((await replies(app, orderId)).map((r) => r.type)).toEqual(['payments.payment.declined']);
    expect(await payment(app, orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'card_declined' });
  });

  it('blocks an authorization whose void arrived first', async () => {
    const orderId = newId();
    await app.publish(new VoidPaymentV1({ orderId }), orderId);
    expect(await settled(app, orderId, 'VOIDED', 0)).toMatchObject({ amount: null, method: null });

    await app.publish(authorize(orderId, 'tok_visa'), orderId);

    expect(await repliesAfterDelivery(app, orderId, 2)).toEqual([
      { type: 'payments.payment.voided', payload: { orderId } },
      { type: 'payments.payment.declined', payload: { orderId, reason: 'voided' } },
    ]);
    expect(await payment(app, orderId)).toMatchObject({ status: 'VOIDED', attempts: 0 });
  });

  it('voids an authorized payment, and answers a repeated void again', async () => {
    const orderId = newId();
    await app.publish(authorize(orderId, 'tok_visa'), orderId);
    await settled(app, orderId, 'AUTHORIZED', 1);

    await app.publish(new VoidPaymentV1({ orderId }), orderId);
    await app.publish(new VoidPaymentV1({ orderId }), orderId);

    const found = await repliesAfterDelivery(app, orderId, 3);
    expect(found.map((r) => r.type)).toEqual([
      'payments.payment.authorized',
      'payments.payment.voided',
      'payments.payment.voided',
    ]);
    expect(await payment(app, orderId)).toMatchObject({ status: 'VOIDED', amount: { amount: 2599, currency: 'EUR' } });
  });

  it('declines as processing_error once every retry has failed', async () => {
    const orderId = newId();
    await app.publish(authorize(orderId, 'tok_processingError'), orderId);

    expect(await settled(app, orderId, 'DECLINED', RETRY_ATTEMPTS)).toMatchObject({ declineReason: 'processing_error' });
    expect(await repliesAfterDelivery(app, orderId, 1)).toEqual([
      { type: 'payments.payment.declined', payload: { orderId, reason: 'processing_error' } },
    ]);
  });

  it('leaves a payment whose provider never answers pending, silent, until the order voids it', async () => {
    const orderId = newId();
    await app.publish(authorize(orderId, 'tok_timeout'), orderId);

    // A timeout is not retried: the provider may still authorize, and a retry would authorize twice.
    await settled(app, orderId, 'PENDING', 1);
    expect(await replies(app, orderId)).toEqual([]);

    await app.publish(new VoidPaymentV1({ orderId }), orderId);

    await settled(app, orderId, 'VOIDED', 1);
    expect(await repliesAfterDelivery(app, orderId, 1)).toEqual([
      { type: 'payments.payment.voided', payload: { orderId } },
    ]);
  });

  it('declines a payment method that expired before the provider was asked, without asking it', async () => {
    const orderId = newId();
    const sealedLongAgo = new Date(Date.now() - 24 * 3600 * 1000);
    await app.publish(authorize(orderId, 'tok_visa', sealedLongAgo), orderId);

    expect(await settled(app, orderId, 'DECLINED', 0)).toMatchObject({ declineReason: 'payment_method_expired' });
    expect(await repliesAfterDelivery(app, orderId, 1)).toEqual([
      { type: 'payments.payment.declined', payload: { orderId, reason: 'payment_method_expired' } },
    ]);
  });

  it('declines a payment method that does not open, sealed for another order or not at all', async () => {
    const orderId = newId();
    const forAnotherOrder = authorize(newId(), 'tok_visa').payload;
    await app.publish(new AuthorizePaymentV2({ ...forAnotherOrder, orderId }), orderId);
    const unsealed = newId();
    await app.publish(new AuthorizePaymentV2({ ...forAnotherOrder, orderId: unsealed, paymentMethodRef: 'tok_visa' }), unsealed);

    for (const id of [orderId, unsealed]) {
      expect(await settled(app, id, 'DECLINED', 0)).toMatchObject({ declineReason: 'payment_method_unknown' });
      expect(await repliesAfterDelivery(app, id, 1)).toEqual([
        { type: 'payments.payment.declined', payload: { orderId: id, reason: 'payment_method_unknown' } },
      ]);
    }
  });

  it('still answers a request sent with the token itself before tokens were sealed', async () => {
    const orderId = newId();
    await app.publish(new AuthorizePaymentV1({ orderId, amount: { amount: 2599, currency: 'EUR' }, method: 'card', token: 'tok_visa' }), orderId);

    await settled(app, orderId, 'AUTHORIZED', 1);
    expect((await repliesAfterDelivery(app, orderId, 1)).map((r) => r.type)).toEqual(['payments.payment.authorized']);
  });

  describe('GET /api/v1/payments', () => {
    it('requires an orderId that is a UUID', async () => {
      const admin = await asAdmin(app);
      const missing = await admin.get('/api/v1/payments').expect(400);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('orderId');

      const malformed = await admin.get('/api/v1/payments').query({ orderId: 'order-1' }).expect(400);
      expect(malformed.body.errors.map((e: { field: string }) => e.field)).toContain('orderId');
    });

    it('lists an order without a payment as an empty list, like any other lookup by order', async () => {
      const orderId = newId();
      const admin = await asAdmin(app);
      const payments = await admin.get('/api/v1/payments').query({ orderId }).expect(200);
      const notifications = await admin.get('/api/v1/notifications').query({ orderId }).expect(200);

      expect(payments.headers['content-type']).toMatch(/^application\/json/);
      expect(payments.body).toEqual({ items: [] });
      expect(notifications.body).toEqual({ items: [] });
    });

    it("answers its customer and staff; another customer finds none, and no token is a 401", async () => {
      const orderId = newId();
      const [customer, other] = [await newCustomer(app), await newCustomer(app)];
      await app.publish(authorize(orderId, 'tok_visa', new Date(), customer.id), orderId);
      await settled(app, orderId, 'AUTHORIZED', 1);

      const anonymous = await app.http().get('/api/v1/payments').query({ orderId }).expect(401);
      expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(anonymous.body).not.toHaveProperty('items');
      const own = await customer.http().get('/api/v1/payments').query({ orderId }).expect(200);
      expect(own.body.items).toEqual([expect.objectContaining({ orderId, status: 'AUTHORIZED' })]);
      const theirs = await other.http().get('/api/v1/payments').query({ orderId }).expect(200);
      expect(theirs.body).toEqual({ items: [] });
      const staff = await (await asAdmin(app)).get('/api/v1/payments').query({ orderId }).expect(200);
      expect(staff.body.items).toHaveLength(1);
    });
  });
});
