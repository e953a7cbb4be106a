import { AuthorizePaymentV2, CapturePaymentV1, VoidPaymentV1 } from '../../libs/contracts/payments';
import { newId } from '../../libs/persistence';
import { PaymentRepository } from '../../src/modules/payments/infrastructure/payment.repository';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { drained, sql } from '../support/shop';
import { sealPaymentMethod } from '../support/payment-requests';
import { startTestApp, TestApp } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulator's answers are asserted, not typed
type Json = any;

const CAPTURE_ROUTE = 'POST /card/v1/payment_intents/:id/capture';

/** Capture and void reach the card provider, once, whatever the message bus repeats. */
describe('Payments at the card provider', () => {
  let simulator: RunningProviderSimulator;
  let app: TestApp;

  async function simulatorGet(path: string): Promise<Json> {
    return (await fetch(`${simulator.url}${path}`)).json();
  }

  const callsOf = async (route: string): Promise<number> => (await simulatorGet('/control/stats')).card.operations[route] ?? 0;

  /** An authorized payment of a new order, and its payment intent at the provider. */
  async function authorizedOrder(): Promise<{ orderId: string; intentId: string }> {
    const orderId = newId();
    const { ref, expiresAt } = sealPaymentMethod(orderId, 'tok_visa');
    const request = new AuthorizePaymentV2({
      orderId,
      customerId: 'cus_provider',
      amount: { amount: 2599, currency: 'EUR' },
      method: 'card',
      paymentMethodRef: ref,
      paymentMethodRefExpiresAt: expiresAt.toISOString(),
    });
    await app.publish(request, orderId);
    const [{ provider_ref: intentId }] = await app.eventually(async () => {
      const rows = await sql<{ provider_ref: string }>(app, `SELECT provider_ref FROM payments.payment WHERE order_id = $1 AND status = 'AUTHORIZED'`, [
        orderId,
      ]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    return { orderId, intentId };
  }

  async function statusOf(orderId: string): Promise<string> {
    const [{ status }] = await sql<{ status: string }>(app, 'SELECT status FROM payments.payment WHERE order_id = $1', [orderId]);
    return status;
  }

  async function repliesOf(orderId: string, type: string): Promise<number> {
    const [{ n }] = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM messaging.outbox WHERE aggregate_id = $1 AND type = $2', [orderId, type]);
    return n;
  }

  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0 });
    app = await startTestApp({ PAYMENT_PROVIDER_URL: simulator.url });
  });

  afterAll(async () => {
    await app?.close();
    await simulator?.close();
  });

  afterEach(() => jest.restoreAllMocks());

  it('captures once when the capture is delivered again after the provider captured and before its commit', async () => {
    const { orderId, intentId } = await authorizedOrder();
    const callsBefore = await callsOf(CAPTURE_ROUTE);
    // The first delivery fails where a crash would: after the provider's answer, before the commit that records it.
    jest.spyOn(app.nest.get(PaymentRepository), 'saveMany').mockRejectedValueOnce(new Error('no commit'));

    await app.publish(new CapturePaymentV1({ orderId }), orderId);

    await app.eventually(async () => expect(await statusOf(orderId)).toBe('CAPTURED'));
    await drained(app);
    expect(await callsOf(CAPTURE_ROUTE)).toBe(callsBefore + 2);
    expect(await simulatorGet(`/card/v1/payment_intents/${intentId}`)).toMatchObject({ status: 'succeeded', amount_received: 2599 });
    expect(await repliesOf(orderId, 'payments.payment.captured')).toBe(1);
  });

  it('answers a repeated capture from the captured payment, without calling the provider', async () => {
    const { orderId } = await authorizedOrder();
    await app.publish(new CapturePaymentV1({ orderId }), orderId);
    await app.eventually(async () => expect(await repliesOf(orderId, 'payments.payment.captured')).toBe(1));
    const callsBefore = await callsOf(CAPTURE_ROUTE);

    await app.publish(new CapturePaymentV1({ orderId }), orderId);

    await app.eventually(async () => expect(await repliesOf(orderId, 'payments.payment.captured')).toBe(2));
    expect(await callsOf(CAPTURE_ROUTE)).toBe(callsBefore);
  });

  it('releases a voided authorization at the provider', async () => {
    const { orderId, intentId } = await authorizedOrder();

    await app.publish(new VoidPaymentV1({ orderId }), orderId);

    await app.eventually(async () => expect(await statusOf(orderId)).toBe('VOIDED'));
    expect(await simulatorGet(`/card/v1/payment_intents/${intentId}`)).toMatchObject({ status: 'canceled', amount_capturable: 0 });
  });

  it('answers a capture the provider refuses for good with PaymentCaptureFailedV1, once, and keeps the payment authorized', async () => {
    const { orderId, intentId } = await authorizedOrder();
    // Released behind our back: the provider can no longer capture it.
    await fetch(`${simulator.url}/card/v1/payment_intents/${intentId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `released-${orderId}` },
      body: '{}',
    });
    const callsBefore = await callsOf(CAPTURE_ROUTE);

    await app.publish(new CapturePaymentV1({ orderId }), orderId);
    await drained(app);

    expect(await repliesOf(orderId, 'payments.payment.capture-failed')).toBe(1);
    const [reply] = await sql<{ payload: Json }>(app, `SELECT envelope->'payload' AS payload FROM messaging.outbox WHERE aggregate_id = $1 AND type = $2`, [
      orderId,
      'payments.payment.capture-failed',
    ]);
    expect(reply.payload).toMatchObject({ orderId, reason: 'payment_intent_unexpected_state' });
    expect(await repliesOf(orderId, 'payments.payment.captured')).toBe(0);
    const letters = await sql(app, `SELECT 1 FROM messaging.dead_letter WHERE envelope->>'aggregateId' = $1`, [orderId]);
    expect(letters).toEqual([]);
    expect(await callsOf(CAPTURE_ROUTE)).toBe(callsBefore + 1);
    expect(await statusOf(orderId)).toBe('AUTHORIZED');
  });
});
