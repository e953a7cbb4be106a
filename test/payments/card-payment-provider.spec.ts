import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthorizationRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderError,
  ProviderRefusedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../../src/modules/payments/application/ports/payment-provider';
import { MessageContext } from '../../libs/messaging';
import { CardPaymentProvider } from '../../src/modules/payments/infrastructure/card-payment-provider';
import { BreakerSettings, CircuitBreakingPaymentProvider } from '../../src/modules/payments/infrastructure/circuit-breaking-payment-provider';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulator's answers are asserted, not typed
type Json = any;

function request(token: string, paymentId = randomUUID()): AuthorizationRequest {
  return { paymentId, orderId: randomUUID(), amount: { amount: 2500, currency: 'EUR' }, method: 'card', token };
}

describe(CardPaymentProvider.name, () => {
  let simulator: RunningProviderSimulator;
  let card: CardPaymentProvider;

  async function control(path: string, body?: object): Promise<Json> {
    const response = await fetch(`${simulator.url}/control${path}`, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return response.status === 204 ? undefined : response.json();
  }

  const cardCalls = async (): Promise<number> => (await control('/stats')).card.calls;

  async function intent(id: string): Promise<Json> {
    return (await fetch(`${simulator.url}/card/v1/payment_intents/${id}`)).json();
  }

  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0, seed: 1 });
    card = new CardPaymentProvider({ baseUrl: simulator.url, timeoutMs: 5000 });
  });

  afterEach(() => control('', { failureRate: 0, latencyMs: 0 }));

  afterAll(() => simulator.close());

  it.each(['tok_visa', 'tok_mastercard'])('authorizes %s as a payment intent awaiting its capture', async (token) => {
    const answer = await card.authorize(request(token));

    expect(answer).toEqual({ approved: true, reference: expect.stringMatching(/^pi_/) });
    const authorized = await intent((answer as { reference: string }).reference);
    expect(authorized).toMatchObject({ status: 'requires_capture', amount: 2500, currency: 'eur', amount_capturable: 2500 });
  });

  it('authorizes a payment once however often it is asked, under the key of its payment and the operation', async () => {
    const repeated = request('tok_visa');
    const first = await card.authorize(repeated);
    const again = await card.authorize(repeated);
    const otherPayment = await card.authorize({ ...repeated, paymentId: randomUUID() });

    expect(again).toEqual(first);
    expect(otherPayment).not.toEqual(first);
  });

  it.each([
    ['tok_chargeDeclined', 'card_declined'],
    ['tok_insufficientFunds', 'insufficient_funds'],
    ['4242424242424242', 'invalid_token'],
  ])('answers %s with a decline naming the code %s', async (token, reason) => {
    await expect(card.authorize(request(token))).resolves.toEqual({ approved: false, reason });
  });

  it('fails tok_processingError with a ProviderError on every call', async () => {
    const failing = request('tok_processingError');
    for (let call = 0; call < 3; call++) await expect(card.authorize(failing)).rejects.toBeInstanceOf(ProviderError);
  });

  it("fails an injected outage with a ProviderError, and the retry under the same key authorizes", async () => {
    await control('', { failureRate: 1, provider: 'card' });
    const retried = request('tok_visa');
    await expect(card.authorize(retried)).rejects.toBeInstanceOf(ProviderError);

    await control('', { failureRate: 0, provider: 'card' });
    await expect(card.authorize(retried)).resolves.toMatchObject({ approved: true });
  });

  it('gives up on tok_timeout with a ProviderTimeoutError once its timeout has passed', async () => {
    const quick = new CardPaymentProvider({ baseUrl: simulator.url, timeoutMs: 200 });
    await expect(quick.authorize(request('tok_timeout'))).rejects.toBeInstanceOf(ProviderTimeoutError);
  });

  it('gives up with a ProviderTimeoutError on a provider that stalls halfway through its answer', async () => {
    const stalling = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":"pi_');
    }).listen(0, '127.0.0.1');
    await once(stalling, 'listening');
    try {
      const { port } = stalling.address() as AddressInfo;
      const quick = new CardPaymentProvider({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 });
      await expect(quick.authorize(request('tok_visa'))).rejects.toBeInstanceOf(ProviderTimeoutError);
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('refuses a request the provider rejects for good with a ProviderRefusedError naming its code', async () => {
    const tooLarge = { ...request('tok_visa'), amount: { amount: 100_000_000, currency: 'EUR' } };
    await expect(card.authorize(tooLarge)).rejects.toMatchObject({ name: ProviderRefusedError.name, code: 'parameter_invalid' });
  });

  it('fails with a ProviderError when nothing listens at its URL', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));

    const unreachable = new CardPaymentProvider({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });
    await expect(unreachable.authorize(request('tok_visa'))).rejects.toBeInstanceOf(ProviderError);
  });

  async function authorized(): Promise<{ paymentId: string; reference: string }> {
    const authorization = request('tok_visa');
    const answer = (await card.authorize(authorization)) as { reference: string };
    return { paymentId: authorization.paymentId, reference: answer.reference };
  }

  it('captures the amount once, however often the capture is sent', async () => {
    const payment = await authorized();
    await card.capture({ ...payment, amount: { amount: 2500, currency: 'EUR' } });
    await card.capture({ ...payment, amount: { amount: 2500, currency: 'EUR' } });

    expect(await intent(payment.reference)).toMatchObject({ status: 'succeeded', amount_received: 2500, amount_capturable: 0 });
  });

  it('voids an authorization once, however often the void is sent', async () => {
    const payment = await authorized();
    await card.void(payment);
    await card.void(payment);

    expect(await intent(payment.reference)).toMatchObject({ status: 'canceled', amount_received: 0, amount_capturable: 0 });
  });

  it('refuses for good to capture a voided authorization, or to void a captured one', async () => {
    const voided = await authorized();
    await card.void(voided);
    await expect(card.capture({ ...voided, amount: { amount: 2500, currency: 'EUR' } })).rejects.toMatchObject({
      name: ProviderRefusedError.name,
      code: 'payment_intent_unexpected_state',
      retryable: false,
    });

    const captured = await authorized();
    await card.capture({ ...captured, amount: { amount: 2500, currency: 'EUR' } });
    await expect(card.void(captured)).rejects.toMatchObject({ name: ProviderRefusedError.name, code: 'payment_intent_unexpected_state' });
  });

  describe(CircuitBreakingPaymentProvider.name, () => {
    const DEFAULTS: BreakerSettings = { name: 'card', errorPercent: 50, volume: 10, consecutiveFailures: 5, resetMs: 60_000, maxConcurrent: 400, maxWaitMs: 1000 };
    const opened: CircuitBreakingPaymentProvider[] = [];
    function breaking(settings: Partial<BreakerSettings> = {}, provider: PaymentProvider = card): CircuitBreakingPaymentProvider {
      const breaker = new CircuitBreakingPaymentProvider(provider, { ...DEFAULTS, ...settings });
      opened.push(breaker);
      return breaker;
    }

    /** Calls in turn, one per token, and says how each ended. */
    async function callInTurn(provider: PaymentProvider, tokens: string[]): Promise<string[]> {
      const ends: string[] = [];
      for (const token of tokens) {
        ends.push(await provider.authorize(request(token)).then(() => 'answered', (error: Error) => error.name));
      }
      return ends;
    }

    afterEach(() => opened.splice(0).forEach((breaker) => breaker.onApplicationShutdown()));

    it('keeps the circuit closed however many cards are declined', async () => {
      const provider = breaking();
      for (let call = 0; call < 30; call++) await provider.authorize(request('tok_chargeDeclined'));
      await expect(provider.authorize(request('tok_visa'))).resolves.toMatchObject({ approved: true });
    });

    it('opens past the error share over a window of enough calls, so calls fail fast without reaching the provider', async () => {
      // 6 failures in 10 calls, never 5 in a row.
      const provider = breaking({ consecutiveFailures: 100 });
      const failing = 'tok_processingError';
      const ends = await callInTurn(provider, [failing, 'tok_visa', failing, 'tok_visa', failing, 'tok_visa', failing, 'tok_visa', failing, failing]);
      expect(ends.filter((end) => end === ProviderError.name)).toHaveLength(6);
      const before = await cardCalls();

      await expect(provider.authorize(request('tok_visa'))).rejects.toBeInstanceOf(ProviderUnavailableError);
      expect(await cardCalls()).toBe(before);
    });

    it('stays closed under the error share while the window holds fewer calls than its volume', async () => {
      const provider = breaking({ volume: 10, consecutiveFailures: 100 });
      await callInTurn(provider, Array.from({ length: 9 }, () => 'tok_processingError'));
      await expect(provider.authorize(request('tok_visa'))).resolves.toMatchObject({ approved: true });
    });

    it('opens after 5 failures in a row, before the window holds enough calls', async () => {
      const provider = breaking({ volume: 100 });
      expect(await callInTurn(provider, Array.from({ length: 5 }, () => 'tok_processingError'))).toEqual(
        Array.from({ length: 5 }, () => ProviderError.name),
      );
      const before = await cardCalls();

      const refused = await provider.authorize(request('tok_visa')).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ProviderUnavailableError);
      // Messaging retries a deferred capture when the circuit half-opens: within the reset time from now.
      expect((refused as ProviderUnavailableError).retryAfterMs).toBeGreaterThan(0);
      expect((refused as ProviderUnavailableError).retryAfterMs).toBeLessThanOrEqual(DEFAULTS.resetMs);
      expect(await cardCalls()).toBe(before);
    });

    /** A breaker opened by failures in a row, whose reset has passed: the next call is its probe. */
    async function halfOpen(): Promise<CircuitBreakingPaymentProvider> {
      const resetMs = 200;
      const provider = breaking({ consecutiveFailures: 2, resetMs });
      await callInTurn(provider, ['tok_processingError', 'tok_processingError']);
      await expect(provider.authorize(request('tok_visa'))).rejects.toBeInstanceOf(ProviderUnavailableError);
      await sleep(resetMs * 2);
      return provider;
    }

    it('lets exactly one probe through once the reset has passed, and closes when it succeeds', async () => {
      const provider = await halfOpen();
      const before = await cardCalls();

      const ends = await Promise.all(['tok_visa', 'tok_visa', 'tok_visa'].map((token) => callInTurn(provider, [token])));

      expect(ends.flat().sort()).toEqual(['ProviderUnavailableError', 'ProviderUnavailableError', 'answered']);
      expect(await cardCalls()).toBe(before + 1);
      await expect(provider.authorize(request('tok_visa'))).resolves.toMatchObject({ approved: true });
    });

    it("tells its listeners that calls are admitted outside the context of the call that closed the circuit", async () => {
      const provider = await halfOpen();
      const seen: (string | undefined)[] = [];
      provider.onCallsAdmitted((circuit) => seen.push(`${circuit}: ${MessageContext.current()?.correlationId ?? 'no message'}`));
      const handling = { correlationId: 'the message the probe is part of', causationId: null, traceparent: null, inbound: { keys: [], recorded: false } };

      await MessageContext.run(handling, () => provider.authorize(request('tok_visa')));

      expect(seen).toEqual(['closed: no message']);
    });

    it('opens again when the probe fails', async () => {
      const provider = await halfOpen();
      const before = await cardCalls();

      await expect(provider.authorize(request('tok_processingError'))).rejects.toBeInstanceOf(ProviderError);

      await expect(provider.authorize(request('tok_visa'))).rejects.toBeInstanceOf(ProviderUnavailableError);
      expect(await cardCalls()).toBe(before + 1);
    });

    it('refuses calls that waited beyond maxWaitMs for a free slot, without reaching the provider, and without opening the circuit', async () => {
      const provider = breaking({ maxConcurrent: 2, maxWaitMs: 50, consecutiveFailures: 1 });
      await control('', { latencyMs: 300, provider: 'card' });
      const before = await cardCalls();

      const ends = await Promise.all(['tok_visa', 'tok_visa', 'tok_visa'].map((token) => callInTurn(provider, [token])));

      expect(ends.flat().sort()).toEqual(['ProviderUnavailableError', 'answered', 'answered']);
      expect(await cardCalls()).toBe(before + 2);
      await expect(provider.authorize(request('tok_visa'))).resolves.toMatchObject({ approved: true });
    });

    it('lets a call beyond its capacity wait its turn for up to maxWaitMs, then answers it', async () => {
      const provider = breaking({ maxConcurrent: 2, maxWaitMs: 10_000 });
      await control('', { latencyMs: 300, provider: 'card' });
      const before = await cardCalls();

      const ends = await Promise.all(['tok_visa', 'tok_visa', 'tok_visa'].map((token) => callInTurn(provider, [token])));

      expect(ends.flat()).toEqual(['answered', 'answered', 'answered']);
      expect(await cardCalls()).toBe(before + 3);
    });

    it('lets errors other than its own through unchanged', async () => {
      const failure = new TypeError('bad request shape');
      const broken: PaymentProvider = {
        authorize: (): Promise<ProviderAnswer> => Promise.reject(failure),
        capture: () => Promise.reject(failure),
        void: () => Promise.reject(failure),
        refund: () => Promise.reject(failure),
      };
      await expect(breaking({}, broken).authorize(request('tok_visa'))).rejects.toBe(failure);
    });
  });
});
