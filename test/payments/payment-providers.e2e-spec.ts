import { randomUUID } from 'node:crypto';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { asAdmin, shopperOf } from '../support/auth';
import { finalOrder, paymentOf, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulator's answers are asserted, not typed
type Json = any;

const PRICE = 1250;
const QUANTITY = 2;
const TOTAL = PRICE * QUANTITY;

/** Orders paid by PayPal and in crypto, authorized, captured and refunded at their own provider, each behind its own breaker. */
describe('Payment providers by method', () => {
  let simulator: RunningProviderSimulator;
  let app: TestApp;
  let productId: string;

  /** What the simulator holds: a resource, the calls it received. */
  const atSimulator = async (path: string): Promise<Json> => (await fetch(`${simulator.url}${path}`)).json();

  async function failPaypalCalls(failureRate: number): Promise<void> {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'paypal', failureRate }) };
    expect((await fetch(`${simulator.url}/control`, init)).status).toBe(200);
  }

  /** Calls each provider received, per route. */
  async function operations(): Promise<Record<'card' | 'paypal' | 'crypto', Record<string, number>>> {
    const stats = await atSimulator('/control/stats');
    return { card: stats.card.operations, paypal: stats.paypal.operations, crypto: stats.crypto.operations };
  }

  /** The order, placed by the shopper with this method, in its final state, and its payment as the API and the row show it. */
  async function paidOrder(method: string, token = 'tok_visa', product = productId): Promise<{ status: string; payment: Json; providerRef: string }> {
    const { body } = await (await shopperOf(app))
      .http()
      .post('/api/v1/orders')
      .send({ items: [{ productId: product, quantity: QUANTITY }], payment: { method, token } })
      .expect(202);
    const { status } = await finalOrder(app, body.id);
    const payment = await app.eventually(async () => {
      const settled = await paymentOf(app, body.id);
      expect(['CAPTURED', 'DECLINED', 'VOIDED']).toContain(settled.status);
      return settled;
    });
    const [{ providerRef }] = await app.sql<{ providerRef: string }>('SELECT provider_ref AS "providerRef" FROM payments.payment WHERE id = $1', [
      payment.id,
    ]);
    return { status, payment, providerRef };
  }

  async function refund(paymentId: string, amount: number): Promise<Json> {
    const { body } = await (await asAdmin(app)).post(`/api/v1/payments/${paymentId}/refunds`).set('idempotency-key', randomUUID()).send({ amount }).expect(201);
    return body;
  }

  async function breakerStates(): Promise<Record<string, string>> {
    const { body } = await (await asAdmin(app)).get('/api/v1/payments/providers').expect(200);
    return Object.fromEntries(body.items.map((item: { provider: string; state: string }) => [item.provider, item.state]));
  }

  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0 });
    app = await startTestApp({ PAYMENT_PROVIDER_URL: simulator.url, PAYMENT_RETRY_ATTEMPTS: '3', PAYMENT_RETRY_BASE_MS: '1' });
    productId = await stockedProduct(app, 100, PRICE);
  });

  afterAll(async () => {
    await app?.close();
    await simulator?.close();
  });

  it('authorizes and captures a PayPal payment at the PayPal provider, and refunds it there', async () => {
    const before = await operations();

    const { status, payment, providerRef } = await paidOrder('paypal');

    expect(status).toBe('COMPLETED');
    expect(payment).toMatchObject({ status: 'CAPTURED', method: 'paypal', provider: 'paypal' });
    expect(await atSimulator(`/paypal/v2/payments/captures/${providerRef}`)).toMatchObject({
      status: 'COMPLETED',
      amount: { currency_code: 'EUR', value: '25.00' },
    });
    const after = await operations();
    expect(after.card).toEqual(before.card);
    expect(after.paypal).toMatchObject({
      'POST /paypal/v2/checkout/orders': (before.paypal['POST /paypal/v2/checkout/orders'] ?? 0) + 1,
      'POST /paypal/v2/checkout/orders/:id/authorize': (before.paypal['POST /paypal/v2/checkout/orders/:id/authorize'] ?? 0) + 1,
      'POST /paypal/v2/payments/authorizations/:id/capture': (before.paypal['POST /paypal/v2/payments/authorizations/:id/capture'] ?? 0) + 1,
    });

    expect(await refund(payment.id, 500)).toMatchObject({ status: 'SUCCEEDED', amount: { amount: 500, currency: 'EUR' } });
    expect(await atSimulator(`/paypal/v2/payments/captures/${providerRef}`)).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
    expect((await operations()).card).toEqual(before.card);
  });

  it('settles a crypto payment in the stablecoin of its currency at the crypto provider, and refunds it there', async () => {
    const before = await operations();

    const { status, payment, providerRef } = await paidOrder('crypto');

    expect(status).toBe('COMPLETED');
    expect(payment).toMatchObject({ status: 'CAPTURED', method: 'crypto', provider: 'crypto' });
    // A euro cent is 10^4 of EURC's smallest unit.
    const settled = await atSimulator(`/crypto/v1/payment_requests/${providerRef}`);
    expect(settled).toMatchObject({ status: 'settled', asset: 'EURC', amount: TOTAL * 10_000, amount_received: TOTAL * 10_000 });
    expect(settled.metadata).toEqual({ order_id: payment.orderId, payment_id: payment.id });

    expect(await refund(payment.id, TOTAL)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await paymentOf(app, payment.orderId)).toMatchObject({ status: 'REFUNDED' });
    expect(await atSimulator(`/crypto/v1/payment_requests/${providerRef}`)).toMatchObject({ amount_refunded: TOTAL * 10_000 });
    const after = await operations();
    expect(after.card).toEqual(before.card);
    expect(after.paypal).toEqual(before.paypal);
    expect(after.crypto['POST /crypto/v1/payment_requests/:id/refunds']).toBe((before.crypto['POST /crypto/v1/payment_requests/:id/refunds'] ?? 0) + 1);
  });

  it.each(['paypal', 'crypto'])('declines a %s payment whose test token the provider declines', async (method) => {
    const { status, payment } = await paidOrder(method, 'tok_chargeDeclined');

    // The stock was reserved, so it is released.
    expect(status).toBe('ROLLED_BACK');
    expect(payment).toMatchObject({ status: 'DECLINED', declineReason: 'card_declined', provider: method });
  });

  it('cancels a crypto payment request still awaiting its transfer, and declines the payment', async () => {
    const { payment, providerRef } = await paidOrder('crypto', 'tok_awaitTransfer');

    expect(payment).toMatchObject({ status: 'DECLINED', declineReason: 'transfer_not_received', provider: 'crypto' });
    expect(providerRef).toBeNull();
    // The only cancellation of this suite.
    expect((await operations()).crypto['POST /crypto/v1/payment_requests/:id/cancel']).toBe(1);
  });

  it('voids a PayPal authorization, and gives back a settled crypto payment, when the order is rolled back for want of stock', async () => {
    const scarce = await stockedProduct(app, 1, PRICE);
    const paypal = await paidOrder('paypal', 'tok_visa', scarce);
    const crypto = await paidOrder('crypto', 'tok_visa', scarce);

    for (const { status, payment } of [paypal, crypto]) {
      expect(status).toBe('ROLLED_BACK');
      expect(payment.status).toBe('VOIDED');
    }
    expect(await atSimulator(`/paypal/v2/payments/authorizations/${paypal.providerRef}`)).toMatchObject({ status: 'VOIDED' });
    expect(await atSimulator(`/crypto/v1/payment_requests/${crypto.providerRef}`)).toMatchObject({
      status: 'settled',
      amount_refunded: TOTAL * 10_000,
    });
  });

  it('opens only the PayPal breaker while the PayPal provider fails, and card orders keep confirming', async () => {
    expect(await breakerStates()).toEqual({ card: 'closed', paypal: 'closed', crypto: 'closed' });
    await failPaypalCalls(1);
    try {
      // Three calls each, retries included: the fifth failure in a row opens the circuit.
      for (let order = 0; order < 2; order += 1) {
        const { payment } = await paidOrder('paypal');
        expect(payment).toMatchObject({ status: 'DECLINED', declineReason: 'processing_error' });
      }
      expect(await breakerStates()).toEqual({ card: 'closed', paypal: 'open', crypto: 'closed' });
      const { text: metrics } = await app.http().get('/metrics').expect(200);
      expect(metrics).toMatch(/^circuit_breaker_state\{breaker="payments\.paypal",provider="paypal"\} 2$/m);
      expect(metrics).toMatch(/^circuit_breaker_state\{breaker="payments\.crypto",provider="crypto"\} 0$/m);
      const { body: ready } = await app.http().get('/health/ready').expect(200);
      expect(ready.checks.circuitBreakers.breakers).toMatchObject({
        'payments.card': { state: 'closed' },
        'payments.paypal': { state: 'open' },
        'payments.crypto': { state: 'closed' },
      });

      const card = await paidOrder('card');

      expect(card.status).toBe('COMPLETED');
      expect(card.payment).toMatchObject({ status: 'CAPTURED', provider: 'card' });
      expect(await breakerStates()).toEqual({ card: 'closed', paypal: 'open', crypto: 'closed' });
    } finally {
      await failPaypalCalls(0);
    }
  });
});
