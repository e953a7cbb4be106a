import { CapturePaymentV1, VoidPaymentV1 } from '../../libs/contracts/payments';
import { newId } from '../../libs/persistence';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { asAdmin } from '../support/auth';
import { requestAuthorization, sendAuthorizationRequest, sendToPayments } from '../support/payment-requests';
import { paymentOf, placeOrder, sql, stockedProduct, stockOf } from '../support/shop';
import { SPLIT, startTestApp, TestApp } from '../support/test-app';

const AUTHORIZE = 'POST /card/v1/payment_intents';
const CAPTURE = 'POST /card/v1/payment_intents/:id/capture';

type CardCalls = { calls: number; injectedFailures: number; operations: Record<string, number>; inFlight: number; maxInFlight: number; abandoned: number };

/** The card provider at the simulator: its faults, set while the service runs, and the calls it received. */
class CardProvider {
  constructor(private readonly simulator: RunningProviderSimulator) {}

  async set(behaviour: { failureRate?: number; latencyMs?: number }): Promise<void> {
    const response = await this.post('/control', { provider: 'card', ...behaviour });
    expect(response.status).toBe(200);
  }

  async resetStats(): Promise<void> {
    expect((await this.post('/control/reset', {})).status).toBe(204);
  }

  /** A payment intent as the provider holds it. */
  async intent(id: string): Promise<{ status: string; amount_received: number }> {
    return (await fetch(`${this.simulator.url}/card/v1/payment_intents/${id}`)).json() as Promise<{ status: string; amount_received: number }>;
  }

  async calls(): Promise<CardCalls> {
    const stats = (await (await fetch(`${this.simulator.url}/control/stats`)).json()) as { card: CardCalls };
    return stats.card;
  }

  private post(path: string, body: object): Promise<Response> {
    return fetch(`${this.simulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
}

/** The card breaker and parked payments as an operator sees them: the admin endpoint and /metrics. */
async function cardSeen(app: TestApp): Promise<{ state: string; parked: number; parkedGauge: number; halfOpens: number; opens: number }> {
  const { body } = await (await asAdmin(app)).get('/api/v1/payments/providers').expect(200);
  const card = body.items.find((item: { provider: string }) => item.provider === 'card');
  const text = await (await fetch(`${app.urlOf('payments')}/metrics`)).text();
  const metric = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    state: card.state,
    parked: card.parked,
    parkedGauge: metric(/^payments_parked\{provider="card"\} (\d+)$/m),
    halfOpens: metric(/^circuit_breaker_transitions_total\{breaker="payments\.card",provider="card",state="half-open"\} (\d+)$/m),
    opens: metric(/^circuit_breaker_transitions_total\{breaker="payments\.card",provider="card",state="open"\} (\d+)$/m),
  };
}

async function orderStatus(app: TestApp, orderId: string): Promise<{ status: string; reasons: string[] }> {
  const { body } = await (await asAdmin(app)).get(`/api/v1/orders/${orderId}`).expect(200);
  return body;
}

function eventuallyPaymentIs(app: TestApp, orderId: string, status: string): Promise<unknown> {
  return app.eventually(async () => expect(await paymentOf(app, orderId)).toMatchObject({ status }), 60_000);
}

/** A provider simulator and the service calling it, started for a describe block and stopped after it. */
function serviceWithSimulator(env: Record<string, string>): { app: TestApp; card: CardProvider } {
  let simulator: RunningProviderSimulator | undefined;
  const started = {} as { app: TestApp; card: CardProvider };
  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0 });
    started.card = new CardProvider(simulator);
    started.app = await startTestApp({ PAYMENT_PROVIDER_URL: simulator.url, ...env });
  });
  afterAll(async () => {
    await started.app?.close();
    await simulator?.close();
  });
  return started;
}

async function repliesOf(app: TestApp, orderId: string, type: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM messaging.outbox WHERE aggregate_id = $1 AND type = $2', [orderId, type]);
  return n;
}

const OUTAGE_ENV = {
  // Six calls per request: a lone order's fifth failure in a row opens the circuit, its sixth call is refused and it parks.
  PAYMENT_RETRY_ATTEMPTS: '6',
  PAYMENT_BREAKER_RESET_MS: '1500',
  PAYMENT_PARK_SWEEP_MS: '200',
};

describe('Payments while the provider is down', () => {
  describe('parking and resuming', () => {
    const service = serviceWithSimulator(OUTAGE_ENV);
    let app: TestApp;
    let card: CardProvider;
    beforeAll(() => {
      ({ app, card } = service);
    });

    it('opens the circuit, stops calling the provider, parks the orders, then completes each once the provider is back, charged once', async () => {
      const productId = await stockedProduct(app, 50);
      await card.set({ failureRate: 1 });

      const first = await placeOrder(app, [{ productId, quantity: 1 }]);
      await eventuallyPaymentIs(app, first, 'PARKED');
      expect((await cardSeen(app)).state).toBe('open');
      // The threshold: five failures in a row, the sixth call refused without reaching the provider.
      // Every PAYMENT_BREAKER_RESET_MS the circuit half-opens and lets one probe through; on a loaded
      // machine probes can come before this count, so each half-open's probe is counted out.
      const atOpen = await app.eventually(async () => {
        const seen = await cardSeen(app);
        const hits = (await card.calls()).calls;
        expect(hits - seen.halfOpens).toBe(5);
        return { hits, ...seen };
      });

      const more = [];
      for (let i = 0; i < 5; i++) more.push(await placeOrder(app, [{ productId, quantity: 1 }]));
      for (const orderId of more) await eventuallyPaymentIs(app, orderId, 'PARKED');
      // The saga re-drives its request every SAGA_REDRIVE_AFTER_MS: a parked payment answers it again, asking no one.
      await sendAuthorizationRequest(app, first);
      await app.eventually(async () => expect(await repliesOf(app, first, 'payments.payment.parked')).toBe(2));

      // Open, the circuit fails calls fast: the only calls that reached the provider since are the probes, one per half-open.
      await app.eventually(async () => {
        const hits = (await card.calls()).calls;
        const seen = await cardSeen(app);
        expect(hits - atOpen.hits).toBe(seen.halfOpens - atOpen.halfOpens);
      });
      const orders = [first, ...more];
      expect(await cardSeen(app)).toMatchObject({ parked: 6, parkedGauge: 6 });
      for (const orderId of orders) expect((await orderStatus(app, orderId)).status).toBe('PENDING');

      await card.set({ failureRate: 0 });
      for (const orderId of orders) {
        await app.eventually(async () => expect((await orderStatus(app, orderId)).status).toBe('COMPLETED'), 60_000);
        await eventuallyPaymentIs(app, orderId, 'CAPTURED');
      }
      expect(await cardSeen(app)).toMatchObject({ state: 'closed', parked: 0, parkedGauge: 0 });
      // None lost, none charged twice: one authorization that went through and one capture per order at the provider
      // (the only failures were the injected ones, all of authorizations: nothing was captured during the outage).
      const { operations, injectedFailures } = await card.calls();
      expect(operations[AUTHORIZE] - injectedFailures).toBe(orders.length);
      expect(operations[CAPTURE]).toBe(orders.length);
      expect((await stockOf(app, productId)).onHand).toBe(50 - orders.length);
    });

    it('half-open, lets exactly one probe through: a failing one opens the circuit again, a good one closes it', async () => {
      await card.set({ failureRate: 1 });
      const orderIds = [newId(), newId(), newId(), newId()];
      await sendAuthorizationRequest(app, orderIds[0]);
      await eventuallyPaymentIs(app, orderIds[0], 'PARKED');
      for (const orderId of orderIds.slice(1)) await sendAuthorizationRequest(app, orderId);
      for (const orderId of orderIds) await eventuallyPaymentIs(app, orderId, 'PARKED');

      // Four parked payments wait, yet each half-open period sends one call, and its failure opens the circuit again.
      const before = { hits: (await card.calls()).calls, ...(await cardSeen(app)) };
      await app.eventually(async () => {
        const hits = (await card.calls()).calls;
        const seen = await cardSeen(app);
        expect(seen.halfOpens - before.halfOpens).toBeGreaterThanOrEqual(2);
        expect(seen.opens - before.opens).toBe(seen.halfOpens - before.halfOpens);
        expect(hits - before.hits).toBe(seen.halfOpens - before.halfOpens);
      }, 30_000);

      // A good probe, held at the provider so the half-open circuit can be seen with it under way alone.
      await card.set({ failureRate: 0, latencyMs: 3000 });
      await card.resetStats();
      await app.eventually(async () => {
        const calls = await card.calls();
        expect((await cardSeen(app)).state).toBe('half-open');
        expect(calls.inFlight).toBe(1);
        // Counted since the reset: the probe, unless it arrived just before.
        expect(calls.calls).toBeLessThanOrEqual(1);
      }, 30_000);
      await card.set({ latencyMs: 0 });
      for (const orderId of orderIds) await eventuallyPaymentIs(app, orderId, 'AUTHORIZED');
      expect((await cardSeen(app)).state).toBe('closed');
    });

    it('a void of a parked payment wins: it is voided and never authorized once the provider is back', async () => {
      await card.set({ failureRate: 1 });
      const orderId = newId();
      await sendAuthorizationRequest(app, orderId);
      await eventuallyPaymentIs(app, orderId, 'PARKED');
      await sendToPayments(app, new VoidPaymentV1({ orderId }), orderId);
      await eventuallyPaymentIs(app, orderId, 'VOIDED');
      expect(await repliesOf(app, orderId, 'payments.payment.voided')).toBe(1);

      await card.set({ failureRate: 0 });
      // A payment authorized after recovery shows the circuit closed and the sweeps gone past the voided one.
      const later = newId();
      await sendAuthorizationRequest(app, later);
      await eventuallyPaymentIs(app, later, 'AUTHORIZED');
      await app.eventually(async () => expect((await cardSeen(app)).state).toBe('closed'));
      // Sweeps run every PAYMENT_PARK_SWEEP_MS (200 ms): several go by.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const [voided] = await sql<{ status: string; provider_ref: string | null }>(app, 'SELECT status, provider_ref FROM payments.payment WHERE order_id = $1', [
        orderId,
      ]);
      // Never authorized: the order only ever heard of the void. A resume already under way when the void landed (a
      // half-open probe) may have been approved: that authorization was released at the provider at once.
      expect(voided.status).toBe('VOIDED');
      if (voided.provider_ref !== null) await app.eventually(async () => expect(await card.intent(voided.provider_ref!)).toMatchObject({ status: 'canceled' }));
      expect(await repliesOf(app, orderId, 'payments.payment.authorized')).toBe(0);
    });
  });

  describe('past PAYMENT_PARK_MAX_MS', () => {
    // The circuit stays open for the whole case: only the parking deadline decides.
    const service = serviceWithSimulator({ ...OUTAGE_ENV, PAYMENT_BREAKER_RESET_MS: '600000', PAYMENT_PARK_MAX_MS: '1000' });
    let app: TestApp;
    beforeAll(async () => {
      app = service.app;
      await service.card.set({ failureRate: 1 });
    });

    it('declines the parked payment provider_unavailable, and the order is rolled back with its stock released', async () => {
      const productId = await stockedProduct(app, 5);
      const orderId = await placeOrder(app, [{ productId, quantity: 2 }]);
      await app.eventually(async () => expect((await orderStatus(app, orderId)).status).toBe('ROLLED_BACK'), 60_000);
      expect(await orderStatus(app, orderId)).toMatchObject({ reasons: ['payment: provider_unavailable'] });
      expect(await paymentOf(app, orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'provider_unavailable' });
      expect(await repliesOf(app, orderId, 'payments.payment.parked')).toBe(1);
      await app.eventually(async () => expect(await stockOf(app, productId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 }));
      expect((await cardSeen(app)).parked).toBe(0);
    });
  });

  describe('a capture that meets an open circuit', () => {
    // One call per request, so five failing authorizations open the circuit; deliveries a fifth of a second apart, at most two counted.
    const service = serviceWithSimulator({
      ...OUTAGE_ENV,
      PAYMENT_RETRY_ATTEMPTS: '1',
      PAYMENT_BREAKER_RESET_MS: '3000',
      MESSAGE_MAX_ATTEMPTS: '2',
      MESSAGE_RETRY_MAX_MS: '200',
      // Shorter than the capture waits: a message waiting for a provider is not a delivery backlog.
      ORDER_ADMISSION_MAX_LAG_MS: '800',
    });

    it('waits for the provider past MESSAGE_MAX_ATTEMPTS instead of being dead-lettered, then captures once; checkout still takes orders meanwhile', async () => {
      const { app, card } = service;
      const productId = await stockedProduct(app, 1);
      const { orderId, providerRef } = await requestAuthorization(app);
      await card.set({ failureRate: 1 });
      for (let i = 0; i < 5; i++) await requestAuthorization(app);
      expect((await cardSeen(app)).state).toBe('open');

      await sendToPayments(app, new CapturePaymentV1({ orderId }), orderId);
      const captureRow = () =>
        sql<{ attempts: number; last_error: string | null; published_at: Date | null }>(
          app,
          `SELECT attempts, last_error, published_at FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'payments.payment.capture'`,
          [orderId],
        );
      if (SPLIT) {
        // Split, the row goes out over Kafka at once: the payments process's consumer retries the record it received.
        await app.eventually(async () => expect((await captureRow())[0].published_at).not.toBeNull());
      } else {
        await app.eventually(async () => expect((await captureRow())[0].last_error).toMatch(/ProviderUnavailableError/));
      }
      // Several deliveries later, each refused by the open circuit: none counted, none dead-lettered.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!SPLIT) expect(await captureRow()).toEqual([expect.objectContaining({ attempts: 0, published_at: null })]);
      expect(await sql(app, `SELECT 1 FROM messaging.dead_letter WHERE envelope->>'aggregateId' = $1`, [orderId])).toEqual([]);
      expect(await paymentOf(app, orderId)).toMatchObject({ status: 'AUTHORIZED' });
      const placed = await placeOrder(app, [{ productId, quantity: 1 }]);
      // Split, the payments consumer holds the waiting capture's partition: an authorization keyed to it waits behind.
      if (!SPLIT) await eventuallyPaymentIs(app, placed, 'PARKED');

      await card.set({ failureRate: 0 });
      await eventuallyPaymentIs(app, orderId, 'CAPTURED');
      expect(await card.intent(providerRef!)).toMatchObject({ status: 'succeeded', amount_received: 1500 });
      expect(await repliesOf(app, orderId, 'payments.payment.captured')).toBe(1);
    });
  });

  describe('limits under 200 concurrent orders', () => {
    const MAX_CONCURRENT = 10;
    const service = serviceWithSimulator({
      PAYMENT_PROVIDER_MAX_CONCURRENT: String(MAX_CONCURRENT),
      PAYMENT_BREAKER_RESET_MS: '1500',
      PAYMENT_PARK_SWEEP_MS: '200',
      // A payment left without an answer by the timeout is asked again when the saga re-drives it.
      SAGA_REDRIVE_AFTER_MS: '1000',
      // A capture refused by the full bulkhead fails its message as deferred: delivered again after this, uncounted.
      MESSAGE_RETRY_MAX_MS: '1000',
      // Until the circuit opens, the first authorizations wait out the provider's timeout, and in the split the ones
      // behind them in the payments consumer's partition wait too: the saga's deadline, which has suites of its own,
      // must not decide an order before its payment is parked.
      SAGA_DEADLINE_MS: '120000',
      // The burst's delivery lag may pass admission's 10 s on a loaded machine; admission has a suite of its own.
      ORDER_ADMISSION_MAX_LAG_MS: '600000',
    });
    let app: TestApp;
    let card: CardProvider;
    beforeAll(() => {
      ({ app, card } = service);
    });

    const statusesOf = async (orderIds: string[]) => {
      const count = async (query: string) =>
        Object.fromEntries((await sql<{ status: string; n: number }>(app, query, [orderIds])).map(({ status, n }) => [status, n]));
      return {
        orders: await count('SELECT status, count(*)::int AS n FROM ordering.order_view WHERE id = ANY($1::uuid[]) GROUP BY status'),
        payments: await count('SELECT status, count(*)::int AS n FROM payments.payment WHERE order_id = ANY($1::uuid[]) GROUP BY status'),
      };
    };

    it('holds the timeout and the bulkhead at the provider, parks what the provider cannot answer, and decides every order', async () => {
      const productId = await stockedProduct(app, 1000);
      // The provider holds every call a minute: only the service's timeout (PAYMENT_TIMEOUT_MS, 5 s here) ends them.
      await card.set({ latencyMs: 60_000 });
      await card.resetStats();
      const orderIds = await Promise.all(Array.from({ length: 200 }, () => placeOrder(app, [{ productId, quantity: 1 }])));
      await app.eventually(async () => expect(await statusesOf(orderIds)).toEqual({ orders: { PENDING: 200 }, payments: { PARKED: 200 } }), 60_000);
      const slow = await app.eventually(async () => {
        const calls = await card.calls();
        expect(calls.inFlight).toBe(0);
        return calls;
      });
      // Every call that reached the provider was given up by the service at its timeout, never answered; a few
      // reached it (the calls that opened the circuit, then one probe per half-open), never more than the bulkhead at once.
      expect(slow.abandoned).toBe(slow.calls);
      expect(slow.calls).toBeGreaterThanOrEqual(5);
      expect(slow.calls).toBeLessThan(orderIds.length);
      expect(slow.maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENT);

      // The provider answers again, in 200 ms: the parked payments resume through the bulkhead. (A probe already under
      // way keeps its minute and is given up in its turn.)
      await card.set({ latencyMs: 200 });
      await app.eventually(
        async () => expect(await statusesOf(orderIds)).toEqual({ orders: { COMPLETED: 200 }, payments: { CAPTURED: 200 } }),
        240_000,
      );

      const calls = await card.calls();
      // The bulkhead: never more calls under way at the provider than allowed, and it was reached.
      expect(calls.maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENT);
      expect(calls.maxInFlight).toBeGreaterThan(1);
      // Each payment was authorized once and captured once at the provider: the given-up calls (all authorizations) had no
      // effect there, and a capture asked again (its batch failed on another's full bulkhead) is replayed under its key, so
      // each intent holds its amount received once.
      expect(calls.operations[AUTHORIZE] - calls.abandoned).toBe(orderIds.length);
      // Reading the intents back is the test's own work: at the provider's 200 ms each it took 40 s.
      await card.set({ latencyMs: 0 });
      const intents = await sql<{ provider_ref: string; amount: string }>(app, 'SELECT provider_ref, amount FROM payments.payment WHERE order_id = ANY($1::uuid[])', [
        orderIds,
      ]);
      for (const { provider_ref: intentId, amount } of intents) {
        expect(await card.intent(intentId)).toMatchObject({ status: 'succeeded', amount_received: Number(amount) });
      }
      expect((await stockOf(app, productId)).onHand).toBe(1000 - orderIds.length);
    }, 300_000);
  });
});
