import { randomUUID } from 'node:crypto';
import { AuthorizationRequest, ProviderRefusedError, ProviderTimeoutError } from '../../src/modules/payments/application/ports/payment-provider';
import { PaypalPaymentProvider } from '../../src/modules/payments/infrastructure/paypal-payment-provider';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulator's answers are asserted, not typed
type Json = any;

const EUR_25 = { amount: 2500, currency: 'EUR' };

describe(PaypalPaymentProvider.name, () => {
  let simulator: RunningProviderSimulator;
  let paypal: PaypalPaymentProvider;

  const atSimulator = async (path: string): Promise<Json> => (await fetch(`${simulator.url}${path}`)).json();

  function request(token: string): AuthorizationRequest {
    return { paymentId: randomUUID(), orderId: randomUUID(), amount: EUR_25, method: 'paypal', token };
  }

  async function authorized(): Promise<{ paymentId: string; reference: string }> {
    const authorization = request('tok_visa');
    const answer = (await paypal.authorize(authorization)) as { reference: string };
    return { paymentId: authorization.paymentId, reference: answer.reference };
  }

  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0, seed: 1 });
    paypal = new PaypalPaymentProvider({ baseUrl: simulator.url, timeoutMs: 5000 });
  });

  afterAll(() => simulator.close());

  it('authorizes a payment once, an order and its authorization, however often it is asked', async () => {
    const repeated = request('tok_visa');

    const first = await paypal.authorize(repeated);
    const again = await paypal.authorize(repeated);

    expect(first).toEqual({ approved: true, reference: expect.stringMatching(/^[0-9A-F]{17}$/) });
    // A second authorization would have an id of its own: the provider replayed the first under PayPal-Request-Id.
    expect(again).toEqual(first);
    const authorization = await atSimulator(`/paypal/v2/payments/authorizations/${(first as { reference: string }).reference}`);
    expect(authorization).toMatchObject({ status: 'CREATED', amount: { currency_code: 'EUR', value: '25.00' } });
  });

  it.each([
    ['tok_chargeDeclined', 'card_declined'],
    ['not-a-token', 'invalid_token'],
  ])('answers %s with a decline naming the code %s', async (token, reason) => {
    await expect(paypal.authorize(request(token))).resolves.toEqual({ approved: false, reason });
  });

  it('gives up on tok_timeout with a ProviderTimeoutError once its timeout has passed', async () => {
    const quick = new PaypalPaymentProvider({ baseUrl: simulator.url, timeoutMs: 200 });
    await expect(quick.authorize(request('tok_timeout'))).rejects.toBeInstanceOf(ProviderTimeoutError);
  });

  it('captures once, answering the capture that refunds name, and refunds once per refund', async () => {
    const payment = await authorized();
    const captureId = await paypal.capture({ ...payment, amount: EUR_25 });
    expect(await paypal.capture({ ...payment, amount: EUR_25 })).toBe(captureId);

    const refund = { refundId: randomUUID(), reference: captureId, amount: { amount: 1000, currency: 'EUR' } };
    const refundId = await paypal.refund(refund);
    expect(await paypal.refund(refund)).toBe(refundId);

    expect(await atSimulator(`/paypal/v2/payments/captures/${captureId}`)).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      amount: { value: '25.00' },
      supplementary_data: { related_ids: { authorization_id: payment.reference } },
    });
    expect(await atSimulator(`/paypal/v2/payments/refunds/${refundId}`)).toMatchObject({ amount: { value: '10.00' } });
  });

  it('voids an authorization once, and refuses for good to void a captured one', async () => {
    const voided = await authorized();
    await paypal.void(voided);
    await paypal.void(voided);
    expect(await atSimulator(`/paypal/v2/payments/authorizations/${voided.reference}`)).toMatchObject({ status: 'VOIDED' });

    const captured = await authorized();
    await paypal.capture({ ...captured, amount: EUR_25 });
    await expect(paypal.void(captured)).rejects.toMatchObject({ name: ProviderRefusedError.name, code: 'previously_captured' });
  });
});
