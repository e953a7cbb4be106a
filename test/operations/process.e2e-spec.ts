import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort, setTestProviderLatency } from '../support/app-process';
import { ADMIN_ENV, bearer, logInAt, newCustomerAt, Session } from '../support/auth';
import { eventually } from '../support/test-app';
import { TEST_ENV } from '../support/test-env';

const DEMO_TEE = '0190a000-0000-7000-8000-000000000001';

async function json(url: string, session: Session, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...bearer(session) } });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

describe('The service as a process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-'));


  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start on a bad configuration value, naming the variable', () => {
    const run = spawnSync(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, DATA_DIR: 'memory://', SAGA_DEADLINE_MS: 'soon' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('SAGA_DEADLINE_MS must be an integer');
  });

  it('exits by SHUTDOWN_TIMEOUT_MS when a request never ends, and finishes the order it placed after a restart', async () => {
    const app = new AppProcess(await freePort(), {
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '100',
      // The key that seals the order's payment token, kept across the restart: on a loaded machine
      // the process is stopped before the payment is authorized, and a key made at each start
      // declines the order after the restart (payment_method_unknown), as the README says.
      PAYMENT_METHOD_PRIVATE_KEY: TEST_ENV.PAYMENT_METHOD_PRIVATE_KEY,
      // Far enough on a loaded machine that the stop and the restart decide, not the saga's deadline
      // (30 s from the placement by default) or a provider call's timeout.
      PAYMENT_TIMEOUT_MS: '30000',
      SAGA_DEADLINE_MS: '120000',
      ...ADMIN_ENV,
    });
    try {
      // The placement commits, then its answer waits ten minutes.
      await app.start({ FAILPOINTS: 'after-placement-commit=delay(600000)', SHUTDOWN_DRAIN_MS: '500', SHUTDOWN_TIMEOUT_MS: '2000' });
      const customer = await newCustomerAt(app.url);
      const stuck = fetch(`${app.url}/api/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(customer.session) },
        body: JSON.stringify({ items: [{ productId: DEMO_TEE, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } }),
      }).catch((error: unknown) => error);
      await eventually(async () => expect((await json(`${app.url}/api/v1/orders`, customer.session)).items).toHaveLength(1));

      await app.stop('SIGTERM');
      expect(app.exitCode).toBe(1);
      expect(app.output.join('')).toContain('did not stop within 2000 ms (SHUTDOWN_TIMEOUT_MS)');
      // Its connection was cut, not answered.
      expect(String(await stuck)).toMatch(/fetch failed/);

      await app.start();
      const customerAgain = await logInAt(app.url, customer.email, customer.password);
      await eventually(async () => {
        const { items } = await json(`${app.url}/api/v1/orders`, customerAgain);
        // With its reasons, so an order that was not finished says why.
        expect(items).toMatchObject([{ status: 'COMPLETED', reasons: [] }]);
      });
    } finally {
      await app.stop();
    }
  });

  it('drains in-flight messages on SIGTERM, then finishes the order after a restart', async () => {
    const app = new AppProcess(await freePort(), {
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '100',
      // Far enough on a loaded machine that only the drain decides: no provider timeout, no deadline, no drain cut short.
      PAYMENT_TIMEOUT_MS: '30000',
      SAGA_DEADLINE_MS: '120000',
      SHUTDOWN_DRAIN_MS: '30000',
      SHUTDOWN_TIMEOUT_MS: '40000',
      ...ADMIN_ENV,
    });
    try {
      await setTestProviderLatency(1500);
      await app.start();
      const customer = await newCustomerAt(app.url);
      const admin = await logInAt(app.url, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
      const order = await json(`${app.url}/api/v1/orders`, customer.session, {
        method: 'POST',
        body: JSON.stringify({ items: [{ productId: DEMO_TEE, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } }),
      });
      await eventually(async () => {
        const payments = await json(`${app.url}/api/v1/payments?orderId=${String(order.id)}`, admin);
        expect(payments.items).toMatchObject([{ status: 'PENDING' }]);
      });
      // The provider call is under way: a graceful stop lets it finish and record its answer.
      await app.stop('SIGTERM');
      expect(app.exitCode).toBe(0);
      expect(app.output.join('')).not.toContain('deliveries to the lease');

      await setTestProviderLatency(0);
      await app.start();
      // The restarted service signs with a new key: the sessions of before are over, the accounts are not.
      const customerAgain = await logInAt(app.url, customer.email, customer.password);
      const adminAgain = await logInAt(app.url, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
      await eventually(async () => {
        expect((await json(`${app.url}/api/v1/orders/${String(order.id)}`, customerAgain)).status).toBe('COMPLETED');
      });
      // The capture reaches the provider after the decision.
      await eventually(async () => {
        const payments = await json(`${app.url}/api/v1/payments?orderId=${String(order.id)}`, adminAgain);
        expect(payments).toEqual({ items: [expect.objectContaining({ status: 'CAPTURED', attempts: 1 })] });
      });
    } finally {
      await app.stop();
    }
  });
});
