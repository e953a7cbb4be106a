import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, ensureBuilt, freePort } from '../support/app-process';
import { eventually } from '../support/test-app';

const DEMO_TEE = '0190a000-0000-7000-8000-000000000001';

async function json(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

describe('The service as a process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-'));

  beforeAll(() => ensureBuilt());

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

  it('drains in-flight messages on SIGTERM, then finishes the order after a restart', async () => {
    const app = new AppProcess(await freePort(), { DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '100' });
    try {
      await app.start({ PAYMENT_LATENCY_MS: '1500' });
      const order = await json(`${app.url}/api/v1/orders`, {
        method: 'POST',
        body: JSON.stringify({ customerId: 'cus_term', items: [{ productId: DEMO_TEE, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } }),
      });
      await eventually(async () => {
        const payments = await json(`${app.url}/api/v1/payments?orderId=${String(order.id)}`);
        expect(payments.items).toMatchObject([{ status: 'PENDING' }]);
      });
      // The provider call is under way: a graceful stop lets it finish and record its answer.
      await app.stop('SIGTERM');
      expect(app.exitCode).toBe(0);

      await app.start({ PAYMENT_LATENCY_MS: '0' });
      await eventually(async () => {
        expect((await json(`${app.url}/api/v1/orders/${String(order.id)}`)).status).toBe('CONFIRMED');
      });
      const payments = await json(`${app.url}/api/v1/payments?orderId=${String(order.id)}`);
      expect(payments).toEqual({ items: [expect.objectContaining({ status: 'CAPTURED', attempts: 1 })] });
    } finally {
      await app.stop();
    }
  });
});
