import { randomUUID } from 'node:crypto';
import { AuthorizationRequest, ProviderRefusedError } from '../../src/modules/payments/application/ports/payment-provider';
import { CryptoPaymentProvider } from '../../src/modules/payments/infrastructure/crypto-payment-provider';
import { DEFAULT_PAYMENTS_OPTIONS } from '../../src/modules/payments/payments.options';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulator's answers are asserted, not typed
type Json = any;

describe(CryptoPaymentProvider.name, () => {
  let simulator: RunningProviderSimulator;
  let crypto: CryptoPaymentProvider;

  const paymentRequest = async (id: string): Promise<Json> => (await fetch(`${simulator.url}/crypto/v1/payment_requests/${id}`)).json();

  function request(token: string, currency = 'USD'): AuthorizationRequest {
    return { paymentId: randomUUID(), orderId: randomUUID(), amount: { amount: 1999, currency }, method: 'crypto', token };
  }

  async function settled(): Promise<{ paymentId: string; reference: string }> {
    const authorization = request('tok_visa');
    const answer = (await crypto.authorize(authorization)) as { reference: string };
    return { paymentId: authorization.paymentId, reference: answer.reference };
  }

  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0, seed: 1 });
    crypto = new CryptoPaymentProvider({ baseUrl: simulator.url, timeoutMs: 5000 }, DEFAULT_PAYMENTS_OPTIONS.crypto);
  });

  afterAll(() => simulator.close());

  it('authorizes a payment once as a request settled in the stablecoin of its currency, to the receiving address', async () => {
    const repeated = request('tok_visa');
    const first = await crypto.authorize(repeated);

    expect(await crypto.authorize(repeated)).toEqual(first);
    expect(first).toEqual({ approved: true, reference: expect.stringMatching(/^cpr_/) });
    expect(await paymentRequest((first as { reference: string }).reference)).toMatchObject({
      status: 'settled',
      chain: 'polygon',
      asset: 'USDC',
      amount: 19_990_000,
      receiving_address: DEFAULT_PAYMENTS_OPTIONS.crypto.receivingAddress,
    });
  });

  it('refuses for good a currency without a stablecoin, without asking the provider', async () => {
    await expect(crypto.authorize(request('tok_visa', 'GBP'))).rejects.toMatchObject({ name: ProviderRefusedError.name, code: 'currency_unsupported' });
  });

  it('declines a request that awaits its transfer, cancelled at the provider', async () => {
    await expect(crypto.authorize(request('tok_awaitTransfer'))).resolves.toEqual({ approved: false, reason: 'transfer_not_received' });
  });

  it('captures a settled request without moving money, and refunds once per refund, named by the transfer back', async () => {
    const payment = await settled();
    expect(await crypto.capture({ ...payment, amount: { amount: 1999, currency: 'USD' } })).toBe(payment.reference);

    const refund = { refundId: randomUUID(), reference: payment.reference, amount: { amount: 999, currency: 'USD' } };
    const hash = await crypto.refund(refund);
    expect(await crypto.refund(refund)).toBe(hash);

    const request = await paymentRequest(payment.reference);
    expect(request.amount_refunded).toBe(9_990_000);
    expect(request.transfers).toContainEqual(
      expect.objectContaining({ hash, direction: 'out', amount: 9_990_000, address: DEFAULT_PAYMENTS_OPTIONS.crypto.refundAddress }),
    );
  });

  it('voids a settled request by giving all of it back, once', async () => {
    const payment = await settled();
    await crypto.void(payment);
    await crypto.void(payment);

    expect(await paymentRequest(payment.reference)).toMatchObject({ status: 'settled', amount_refunded: 19_990_000 });
  });
});
