import { sleep } from '../../../../libs/resilience';
import { AuthorizationRequest, ProviderError } from '../application/ports/payment-provider';
import { SimulatedPaymentProvider } from './simulated-payment-provider';

function request(token: string): AuthorizationRequest {
  return {
    orderId: '0190b000-0000-7000-8000-000000000001',
    amount: { amount: 2500, currency: 'EUR' },
    method: 'card',
    token,
  };
}

const reliable = new SimulatedPaymentProvider({ latencyMs: 0, failureRate: 0 });

describe(SimulatedPaymentProvider.name, () => {
  it.each(['tok_visa', 'tok_mastercard', 'tok_amex'])('approves %s with a provider reference', async (token) => {
    const answer = await reliable.authorize(request(token));
    expect(answer).toEqual({ approved: true, reference: expect.stringMatching(/^sim_/) });
  });

  it('gives every approval its own reference', async () => {
    const first = await reliable.authorize(request('tok_visa'));
    const second = await reliable.authorize(request('tok_visa'));
    expect(first).not.toEqual(second);
  });

  it('declines tok_chargeDeclined as card_declined', async () => {
    await expect(reliable.authorize(request('tok_chargeDeclined'))).resolves.toEqual({
      approved: false,
      reason: 'card_declined',
    });
  });

  it('declines a token that is not a provider token', async () => {
    await expect(reliable.authorize(request('4242424242424242'))).resolves.toEqual({
      approved: false,
      reason: 'invalid_token',
    });
  });

  it('fails tok_processingError with a ProviderError on every call', async () => {
    for (let call = 0; call < 3; call++) {
      await expect(reliable.authorize(request('tok_processingError'))).rejects.toBeInstanceOf(ProviderError);
    }
  });

  it('never answers tok_timeout', async () => {
    const answer = reliable.authorize(request('tok_timeout')).then(() => 'answered');
    await expect(Promise.race([answer, sleep(100).then(() => 'no answer')])).resolves.toBe('no answer');
  });

  it('fails the configured share of calls whatever the token', async () => {
    const flaky = (roll: number): SimulatedPaymentProvider =>
      new SimulatedPaymentProvider({ latencyMs: 0, failureRate: 0.3 }, () => roll);
    await expect(flaky(0.29).authorize(request('tok_visa'))).rejects.toBeInstanceOf(ProviderError);
    await expect(flaky(0.3).authorize(request('tok_visa'))).resolves.toMatchObject({ approved: true });
  });

  it('adds the configured latency to every call', async () => {
    const slow = new SimulatedPaymentProvider({ latencyMs: 80, failureRate: 0 });
    const started = Date.now();
    await slow.authorize(request('tok_chargeDeclined'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });
});
