import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { asAdmin, newCustomer } from '../support/auth';
import { requestAuthorization } from '../support/payment-requests';
import { paymentOf } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

type Shown = { gauge: number; ready: { status: string; since: string }; admin: { state: string; since: string; window: Record<string, number> } };

/** The card provider's breaker, as an operator sees it: in /metrics, in readiness and at the admin endpoint. */
describe('Payment provider breaker visibility', () => {
  let simulator: RunningProviderSimulator;
  let app: TestApp;

  async function setCard(behaviour: { failureRate?: number; latencyMs?: number }): Promise<void> {
    const response = await fetch(`${simulator.url}/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'card', ...behaviour }),
    });
    expect(response.status).toBe(200);
  }

  /** What the three places say of the card breaker. */
  async function shown(): Promise<Shown> {
    const { text } = await app.http().get('/metrics').expect(200);
    const gauge = /^circuit_breaker_state\{breaker="payments\.card",provider="card"\} (\d)$/m.exec(text);
    expect(gauge).not.toBeNull();
    const { body: ready } = await app.http().get('/health/ready').expect(200);
    const { body: providers } = await (await asAdmin(app)).get('/api/v1/payments/providers').expect(200);
    const card = providers.items.find((item: { provider: string }) => item.provider === 'card');
    expect(ready.status).toBe('ok');
    return { gauge: Number(gauge![1]), ready: ready.checks.circuitBreakers.breakers['payments.card'], admin: card };
  }

  beforeAll(async () => {
    simulator = await startProviderSimulator({ port: 0 });
    app = await startTestApp({
      PAYMENT_PROVIDER_URL: simulator.url,
      // Long enough for the three reads of the open breaker to end before it probes, even on a loaded machine; short enough to wait for.
      PAYMENT_BREAKER_RESET_MS: '2000',
      PAYMENT_RETRY_ATTEMPTS: '3',
      // The probe is held at the provider (see below) well within this.
      PAYMENT_TIMEOUT_MS: '20000',
    });
  });

  afterAll(async () => {
    await app?.close();
    await simulator?.close();
  });

  it('shows the breaker closed, then open while the provider fails, half-open after the reset time, closed after a good probe', async () => {
    expect(await shown()).toMatchObject({ gauge: 0, ready: { state: 'closed' }, admin: { state: 'closed', breaker: 'payments.card' } });
    expect((await app.http().get('/health/ready').expect(200)).body.checks.circuitBreakers.status).toBe('up');

    await setCard({ failureRate: 1 });
    // Three calls each, retries included: the fifth failure in a row opens the circuit, and the
    // second request, refused by it, is parked.
    expect((await requestAuthorization(app)).status).toBe('DECLINED');
    const parked = await requestAuthorization(app);
    expect(parked.status).toBe('PARKED');

    const open = await shown();
    expect(open).toMatchObject({ gauge: 2, ready: { state: 'open' }, admin: { state: 'open' } });
    expect(open.admin.window).toMatchObject({ durationMs: 10_000, failures: 5, rejected: 1 });
    expect(open.ready.since).toBe(open.admin.since);
    // Degraded, and still ready: orders are accepted while payments wait for the provider.
    expect((await app.http().get('/health/ready').expect(200)).body.checks.circuitBreakers.status).toBe('degraded');

    // The parked payment is the probe; held at the provider, it keeps the circuit half-open long enough to be seen.
    await setCard({ failureRate: 0, latencyMs: 4000 });
    await app.eventually(async () => expect(await shown()).toMatchObject({ gauge: 1, ready: { state: 'half-open' }, admin: { state: 'half-open' } }));
    await app.eventually(async () => expect(await paymentOf(app, parked.orderId)).toMatchObject({ status: 'AUTHORIZED' }));
    await setCard({ latencyMs: 0 });

    expect((await requestAuthorization(app)).status).toBe('AUTHORIZED');

    const closed = await shown();
    expect(closed).toMatchObject({ gauge: 0, ready: { state: 'closed' }, admin: { state: 'closed' } });
    expect(Date.parse(closed.admin.since)).toBeGreaterThan(Date.parse(open.admin.since));
    expect((await app.http().get('/health/ready').expect(200)).body.checks.circuitBreakers.status).toBe('up');
  });

  it('lists the providers to staff only', async () => {
    const customer = await newCustomer(app);
    await customer.http().get('/api/v1/payments/providers').expect(403);
    await app.http().get('/api/v1/payments/providers').expect(401);
  });
});
