import { randomUUID } from 'node:crypto';
import { PendingRefundSweeper } from '../../src/modules/payments/application/refund-payment/pending-refund.sweeper';
import { RefundRepository } from '../../src/modules/payments/infrastructure/refund.repository';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { asAdmin, logIn, newCustomer, shopperOf } from '../support/auth';
import { finalOrder, paymentOf, placeOrder, sql, stockedProduct } from '../support/shop';
import { itInProcess, startTestApp, TestApp } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulator's answers are asserted, not typed
type Json = any;

const REFUND_ROUTE = 'POST /card/v1/refunds';
/** Ten units at 1000: a capture of 10000 minor units. */
const PRICE = 1000;
const QUANTITY = 10;
const CAPTURED = PRICE * QUANTITY;

interface CapturedPayment {
  orderId: string;
  paymentId: string;
  /** The card provider's payment intent. */
  intentId: string;
}

/** Refunds at the card provider, never past the capture, once per Idempotency-Key. */
describe('Refunds', () => {
  let simulator: RunningProviderSimulator;
  let app: TestApp;
  let productId: string;

  async function simulatorCall(path: string, body?: object): Promise<Json> {
    const response = await fetch(`${simulator.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return response.status === 204 ? undefined : response.json();
  }

  const providerRefunds = async (): Promise<number> => (await simulatorCall('/control/stats')).card.operations[REFUND_ROUTE] ?? 0;
  const amountRefundedAtProvider = async ({ intentId }: CapturedPayment): Promise<number> =>
    (await simulatorCall(`/card/v1/payment_intents/${intentId}`)).amount_refunded;

  /** A confirmed order of the shopper, its payment captured at the provider. */
  async function capturedPayment(): Promise<CapturedPayment> {
    const orderId = await placeOrder(app, [{ productId, quantity: QUANTITY }]);
    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    const paymentId = await app.eventually(async () => {
      const payment = await paymentOf(app, orderId);
      expect(payment.status).toBe('CAPTURED');
      return payment.id as string;
    });
    const [{ intentId }] = await sql<{ intentId: string }>(app, 'SELECT provider_ref AS "intentId" FROM payments.payment WHERE id = $1', [paymentId]);
    return { orderId, paymentId, intentId };
  }

  async function refund(paymentId: string, body: object, key: string = randomUUID()) {
    return (await asAdmin(app)).post(`/api/v1/payments/${paymentId}/refunds`).set('idempotency-key', key).send(body);
  }

  async function refundsOf(paymentId: string): Promise<Json[]> {
    const { body } = await (await asAdmin(app)).get(`/api/v1/payments/${paymentId}/refunds`).expect(200);
    return body.items;
  }

  const statusOf = async ({ orderId }: CapturedPayment): Promise<string> => (await paymentOf(app, orderId)).status;

  /** The payment, its refunds, and the provider's view of them, to show that nothing changed. */
  async function stateOf(payment: CapturedPayment): Promise<object> {
    return {
      status: await statusOf(payment),
      refunds: await refundsOf(payment.paymentId),
      atProvider: await amountRefundedAtProvider(payment),
      providerRefunds: await providerRefunds(),
    };
  }

  async function publishedRefunds(orderId: string): Promise<Json[]> {
    const rows = await sql<{ payload: Json }>(
      app,
      `SELECT envelope->'payload' AS payload FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'payments.payment.refunded' ORDER BY seq`,
      [orderId],
    );
    return rows.map((row) => row.payload);
  }

  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0 });
    // A short breaker reset, so the outage case does not leave the circuit open for the cases after it.
    app = await startTestApp({ PAYMENT_PROVIDER_URL: simulator.url, PAYMENT_BREAKER_RESET_MS: '100' });
    productId = await stockedProduct(app, 10_000, PRICE);
  });

  afterAll(async () => {
    await app?.close();
    await simulator?.close();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await simulatorCall('/control', { failureRate: 0, provider: 'card' });
  });

  it('refunds a whole capture: the refund SUCCEEDED, the payment REFUNDED, the provider refunded it, the order is told', async () => {
    const payment = await capturedPayment();

    const { status, body } = await refund(payment.paymentId, { amount: CAPTURED, reason: 'Order cancelled by the customer' });

    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.any(String),
      paymentId: payment.paymentId,
      amount: { amount: CAPTURED, currency: 'EUR' },
      status: 'SUCCEEDED',
      reason: 'Order cancelled by the customer',
      failureReason: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await statusOf(payment)).toBe('REFUNDED');
    expect(await amountRefundedAtProvider(payment)).toBe(CAPTURED);
    expect(await refundsOf(payment.paymentId)).toEqual([body]);
    expect(await publishedRefunds(payment.orderId)).toEqual([
      {
        orderId: payment.orderId,
        paymentId: payment.paymentId,
        refundId: body.id,
        amount: { amount: CAPTURED, currency: 'EUR' },
        totalRefunded: { amount: CAPTURED, currency: 'EUR' },
        paymentStatus: 'REFUNDED',
      },
    ]);
  });

  it('refunds in two parts: PARTIALLY_REFUNDED after the first, REFUNDED after the second', async () => {
    const payment = await capturedPayment();

    const first = await refund(payment.paymentId, { amount: 3000 });
    const statusAfterFirst = await statusOf(payment);
    const second = await refund(payment.paymentId, { amount: CAPTURED - 3000 });

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(statusAfterFirst).toBe('PARTIALLY_REFUNDED');
    expect(await statusOf(payment)).toBe('REFUNDED');
    expect((await refundsOf(payment.paymentId)).map((r) => [r.id, r.amount.amount, r.status])).toEqual([
      [first.body.id, 3000, 'SUCCEEDED'],
      [second.body.id, CAPTURED - 3000, 'SUCCEEDED'],
    ]);
    expect(await amountRefundedAtProvider(payment)).toBe(CAPTURED);
    expect((await publishedRefunds(payment.orderId)).map((p) => [p.totalRefunded.amount, p.paymentStatus])).toEqual([
      [3000, 'PARTIALLY_REFUNDED'],
      [CAPTURED, 'REFUNDED'],
    ]);
  });

  it('refuses a refund past what remains refundable (422) and changes nothing, here or at the provider', async () => {
    const payment = await capturedPayment();
    await refund(payment.paymentId, { amount: 6000 }).then(({ status }) => expect(status).toBe(201));
    const before = await stateOf(payment);

    const over = await refund(payment.paymentId, { amount: CAPTURED - 6000 + 1 });

    expect(over.status).toBe(422);
    expect(over.body.detail).toContain('more than the 4000 minor units');
    expect(await stateOf(payment)).toEqual(before);
  });

  it('lets only staff and admins refund: a customer gets 403, an anonymous caller 401, and nothing changes', async () => {
    const payment = await capturedPayment();
    const customer = await newCustomer(app);
    const member = await newCustomer(app);
    await (await asAdmin(app)).put(`/api/v1/admin/users/${member.id}/roles`).send({ roles: ['staff'] }).expect(200);
    const staff = await logIn(app, member.email, member.password);
    const before = await stateOf(payment);
    const path = `/api/v1/payments/${payment.paymentId}/refunds`;

    await customer.http().post(path).set('idempotency-key', randomUUID()).send({ amount: 100 }).expect(403);
    await app.http().post(path).set('idempotency-key', randomUUID()).send({ amount: 100 }).expect(401);

    expect(await stateOf(payment)).toEqual(before);
    const byStaff = await app
      .http()
      .post(path)
      .set('authorization', `Bearer ${staff.accessToken}`)
      .set('idempotency-key', randomUUID())
      .send({ amount: 100 });
    expect(byStaff.status).toBe(201);
  });

  it("shows a payment's refunds to its customer, and to no other (404)", async () => {
    const payment = await capturedPayment();
    const { body: made } = await refund(payment.paymentId, { amount: 500 });
    const owner = await shopperOf(app);
    const stranger = await newCustomer(app);
    const path = `/api/v1/payments/${payment.paymentId}/refunds`;

    const own = await owner.http().get(path).expect(200);
    await stranger.http().get(path).expect(404);
    await (await asAdmin(app)).get(`/api/v1/payments/${randomUUID()}/refunds`).expect(404);

    expect(own.body.items).toEqual([made]);
  });

  it('refuses to refund a payment that was not captured (409), and records nothing', async () => {
    const orderId = await placeOrder(app, [{ productId, quantity: 1 }], 'tok_chargeDeclined');
    await finalOrder(app, orderId);
    const { id: paymentId, status } = await paymentOf(app, orderId);
    const callsBefore = await providerRefunds();

    const refused = await refund(paymentId as string, { amount: 100 });

    expect(status).toBe('DECLINED');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('only a captured payment can be refunded');
    expect(await refundsOf(paymentId as string)).toEqual([]);
    expect(await providerRefunds()).toBe(callsBefore);
  });

  it('answers the same Idempotency-Key and body again without refunding again; another body under that key is 422', async () => {
    const payment = await capturedPayment();
    const key = randomUUID();
    const first = await refund(payment.paymentId, { amount: 2500, reason: 'damaged' }, key);
    const callsAfterFirst = await providerRefunds();

    const again = await refund(payment.paymentId, { amount: 2500, reason: 'damaged' }, key);
    const otherBody = await refund(payment.paymentId, { amount: 2400, reason: 'damaged' }, key);
    const otherReason = await refund(payment.paymentId, { amount: 2500 }, key);

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect([otherBody.status, otherReason.status]).toEqual([422, 422]);
    expect(otherBody.body.detail).toContain('Idempotency-Key was used for another refund');
    expect(await providerRefunds()).toBe(callsAfterFirst);
    expect(await amountRefundedAtProvider(payment)).toBe(2500);
    expect(await refundsOf(payment.paymentId)).toHaveLength(1);
  });

  it('never refunds past the capture under 20 concurrent refunds of 10% each: 10 succeed, here and at the provider', async () => {
    const payment = await capturedPayment();
    const callsBefore = await providerRefunds();
    const tenth = CAPTURED / 10;

    const answers = await Promise.all(Array.from({ length: 20 }, () => refund(payment.paymentId, { amount: tenth })));

    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array<number>(10).fill(201), ...Array<number>(10).fill(422)]);
    const succeeded = (await refundsOf(payment.paymentId)).filter((r) => r.status === 'SUCCEEDED');
    const refunded = succeeded.reduce((sum, r) => sum + r.amount.amount, 0);
    expect(refunded).toBe(CAPTURED);
    expect(await amountRefundedAtProvider(payment)).toBe(CAPTURED);
    expect(await providerRefunds()).toBe(callsBefore + 10);
    expect(await statusOf(payment)).toBe('REFUNDED');
  });

  it('leaves a refund PENDING through a provider outage (503), holding its amount; the same request completes it once, after', async () => {
    const payment = await capturedPayment();
    const key = randomUUID();
    await simulatorCall('/control', { failureRate: 1, provider: 'card' });

    const duringOutage = await refund(payment.paymentId, { amount: 7000 }, key);
    const held = await refund(payment.paymentId, { amount: CAPTURED - 7000 + 1 });

    expect(duringOutage.status).toBe(503);
    expect(duringOutage.headers['retry-after']).toBeDefined();
    expect(held.status).toBe(422);
    expect((await refundsOf(payment.paymentId)).map((r) => r.status)).toEqual(['PENDING']);
    expect(await statusOf(payment)).toBe('CAPTURED');

    await simulatorCall('/control', { failureRate: 0, provider: 'card' });
    expect(await amountRefundedAtProvider(payment)).toBe(0);
    const completed = await app.eventually(async () => {
      const retried = await refund(payment.paymentId, { amount: 7000 }, key);
      expect(retried.status).toBe(201);
      return retried;
    });
    const repeated = await refund(payment.paymentId, { amount: 7000 }, key);

    expect(completed.body).toMatchObject({ status: 'SUCCEEDED', amount: { amount: 7000, currency: 'EUR' } });
    expect(repeated.body).toEqual(completed.body);
    expect(await amountRefundedAtProvider(payment)).toBe(7000);
    expect(await statusOf(payment)).toBe('PARTIALLY_REFUNDED');
    expect(await publishedRefunds(payment.orderId)).toHaveLength(1);
  });

  itInProcess('completes a refund left PENDING by an outage whose request is never repeated, once it is old enough to be swept', async () => {
    const payment = await capturedPayment();
    const key = randomUUID();
    await simulatorCall('/control', { failureRate: 1, provider: 'card' });
    expect((await refund(payment.paymentId, { amount: 2000 }, key)).status).toBe(503);
    await simulatorCall('/control', { failureRate: 0, provider: 'card' });
    const sweeper = app.nest.get(PendingRefundSweeper);

    await sweeper.sweep();
    const tooRecent = await refundsOf(payment.paymentId);
    // As if the caller had given up long ago.
    await sql(app, `UPDATE payments.refund SET updated_at = now() - interval '1 hour' WHERE payment_id = $1`, [payment.paymentId]);
    await sweeper.sweep();

    expect(tooRecent.map((r) => r.status)).toEqual(['PENDING']);
    expect((await refundsOf(payment.paymentId)).map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(await statusOf(payment)).toBe('PARTIALLY_REFUNDED');
    expect(await amountRefundedAtProvider(payment)).toBe(2000);
    expect(await publishedRefunds(payment.orderId)).toHaveLength(1);
    const repeated = await refund(payment.paymentId, { amount: 2000 }, key);
    expect(repeated.status).toBe(201);
    expect(repeated.headers['idempotent-replayed']).toBe('true');
    expect(await amountRefundedAtProvider(payment)).toBe(2000);
  });

  itInProcess('refunds once when the request is repeated after the provider refunded and before the refund was recorded', async () => {
    const payment = await capturedPayment();
    const key = randomUUID();
    // The first request fails where a crash would: after the provider's answer, before the commit that records it.
    jest.spyOn(app.nest.get(RefundRepository), 'settle').mockRejectedValueOnce(new Error('no commit'));
    const callsBefore = await providerRefunds();

    const crashed = await refund(payment.paymentId, { amount: 4000 }, key);
    const pending = await refundsOf(payment.paymentId);
    const retried = await refund(payment.paymentId, { amount: 4000 }, key);

    expect(crashed.status).toBe(500);
    expect(pending.map((r) => r.status)).toEqual(['PENDING']);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ id: pending[0].id, status: 'SUCCEEDED' });
    // Asked twice under the refund's key: the second call was the provider's replay of the first.
    expect(await providerRefunds()).toBe(callsBefore + 2);
    expect(await amountRefundedAtProvider(payment)).toBe(4000);
  });

  it('records a refund the provider refuses for good as FAILED (409) and releases its amount', async () => {
    const payment = await capturedPayment();
    // Refunded in full behind the shop's back: the provider refuses any further refund.
    await simulatorCall('/card/v1/refunds', { payment_intent: payment.intentId });
    const refused = await refund(payment.paymentId, { amount: 1000 }, 'refused-key');

    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('charge_already_refunded');
    expect(await refundsOf(payment.paymentId)).toEqual([expect.objectContaining({ status: 'FAILED', failureReason: 'charge_already_refunded' })]);
    expect(await statusOf(payment)).toBe('CAPTURED');
    // Released: the whole capture is refundable again as far as the shop knows, so this reaches the provider (not 422).
    const whole = await refund(payment.paymentId, { amount: CAPTURED });
    expect(whole.status).toBe(409);
    expect(await refundsOf(payment.paymentId)).toHaveLength(2);
  });

  describe('input', () => {
    let payment: CapturedPayment;

    beforeAll(async () => {
      payment = await capturedPayment();
    });

    it.each([
      ['no Idempotency-Key', { amount: 100 }, null, 'Idempotency-Key'],
      ['an Idempotency-Key with a space', { amount: 100 }, 'a key', 'Idempotency-Key'],
      ['no amount', {}, undefined, 'amount'],
      ['a zero amount', { amount: 0 }, undefined, 'amount'],
      ['a negative amount', { amount: -100 }, undefined, 'amount'],
      ['a fractional amount', { amount: 10.5 }, undefined, 'amount'],
      ['an amount as a string', { amount: '100' }, undefined, 'amount'],
      ['an empty reason', { amount: 100, reason: '' }, undefined, 'reason'],
      ['a reason of 501 characters', { amount: 100, reason: 'r'.repeat(501) }, undefined, 'reason'],
      ['a currency, which the payment sets', { amount: 100, currency: 'USD' }, undefined, 'currency'],
    ])('refuses %s (400) and changes nothing', async (_name, body, key, field) => {
      const before = await stateOf(payment);
      const request = (await asAdmin(app)).post(`/api/v1/payments/${payment.paymentId}/refunds`);
      if (key !== null) request.set('idempotency-key', key ?? randomUUID());

      const refused = await request.send(body);

      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await stateOf(payment)).toEqual(before);
    });

    it('refuses a body over 4 KiB (413) unread, and changes nothing', async () => {
      const before = await stateOf(payment);

      const refused = await refund(payment.paymentId, { amount: 100, reason: 'r'.repeat(5000) });

      expect(refused.status).toBe(413);
      expect(await stateOf(payment)).toEqual(before);
    });
  });
});
