import {
  AuthorizationRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../application/ports/payment-provider';
import { CircuitBreakingPaymentProvider } from './circuit-breaking-payment-provider';
import { SimulatedPaymentProvider } from './simulated-payment-provider';

function request(token: string): AuthorizationRequest {
  return {
    orderId: '0190b000-0000-7000-8000-000000000001',
    amount: { amount: 2500, currency: 'EUR' },
    method: 'card',
    token,
  };
}

describe(CircuitBreakingPaymentProvider.name, () => {
  const opened: CircuitBreakingPaymentProvider[] = [];
  function breaking(timeoutMs: number): CircuitBreakingPaymentProvider {
    const simulated = new SimulatedPaymentProvider({ latencyMs: 0, failureRate: 0 });
    const provider = new CircuitBreakingPaymentProvider(simulated, timeoutMs);
    opened.push(provider);
    return provider;
  }

  afterEach(() => opened.splice(0).forEach((provider) => provider.onApplicationShutdown()));

  it("passes the provider's answers through", async () => {
    const provider = breaking(1000);
    await expect(provider.authorize(request('tok_visa'))).resolves.toMatchObject({ approved: true });
    await expect(provider.authorize(request('tok_chargeDeclined'))).resolves.toEqual({
      approved: false,
      reason: 'card_declined',
    });
  });

  it('turns a call without an answer into a ProviderTimeoutError after the timeout', async () => {
    const provider = breaking(50);
    const started = Date.now();
    await expect(provider.authorize(request('tok_timeout'))).rejects.toBeInstanceOf(ProviderTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('keeps the circuit closed however many cards are declined', async () => {
    const provider = breaking(1000);
    for (let call = 0; call < 30; call++) await provider.authorize(request('tok_chargeDeclined'));
    await expect(provider.authorize(request('tok_visa'))).resolves.toMatchObject({ approved: true });
  });

  it('opens the circuit when the provider keeps failing, so calls fail fast without reaching it', async () => {
    const provider = breaking(1000);
    for (let call = 0; call < 10; call++) {
      await expect(provider.authorize(request('tok_processingError'))).rejects.toBeInstanceOf(ProviderError);
    }
    await expect(provider.authorize(request('tok_visa'))).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('lets errors other than its own through unchanged', async () => {
    const failure = new TypeError('bad request shape');
    const broken: PaymentProvider = { authorize: (): Promise<ProviderAnswer> => Promise.reject(failure) };
    const provider = new CircuitBreakingPaymentProvider(broken, 1000);
    opened.push(provider);
    await expect(provider.authorize(request('tok_visa'))).rejects.toBe(failure);
  });
});
