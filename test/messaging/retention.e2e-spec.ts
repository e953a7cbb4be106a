import { OutboxRelay } from '../../libs/messaging/outbox-relay';
import { drained, finalOrder, placeOrder, sql, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

async function count(app: TestApp, table: string, where = 'true'): Promise<number> {
  const [{ n }] = await sql<{ n: number }>(app, `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return n;
}

describe('Message retention', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ MESSAGE_RETENTION_MS: '1000' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('prunes delivered outbox rows and old inbox entries, keeping undelivered ones', async () => {
    const productId = await stockedProduct(app, 5);
    await finalOrder(app, await placeOrder(app, [{ productId, quantity: 1 }]));
    await drained(app);
    // A message not delivered yet must survive pruning, however old.
    await sql(
      app,
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, created_at, next_attempt_at)
       VALUES ('01a20000-0000-7000-8000-000000000001', 'test.kept', 1, 'kept', '{}', now() - interval '1 day', now() + interval '1 day')`,
    );
    expect(await count(app, 'messaging.outbox', 'published_at IS NOT NULL')).toBeGreaterThan(0);
    expect(await count(app, 'messaging.inbox')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const pruned = await app.nest.get(OutboxRelay).prune();

    expect(pruned.outbox).toBeGreaterThan(0);
    expect(pruned.inbox).toBeGreaterThan(0);
    expect(await count(app, 'messaging.outbox', 'published_at IS NOT NULL')).toBe(0);
    expect(await count(app, 'messaging.outbox', `type = 'test.kept'`)).toBe(1);
    expect(await count(app, 'messaging.inbox')).toBe(0);
  });
});
