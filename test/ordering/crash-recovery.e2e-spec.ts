import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppProcess, freePort, restartableServiceEnv, setTestProviderLatency } from '../support/app-process';
import { createTestDatabase, eventually } from '../support/test-app';
import { TEST_ENV } from '../support/test-env';

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) {
  process.stdout.write('crash-recovery suite skipped: it needs a real Postgres server in TEST_DATABASE_URL\n');
}
const describeOnPostgres = postgres ? describe : describe.skip;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted, not typed
async function json(url: string, init?: RequestInit, accessToken?: string): Promise<any> {
  const authorization: Record<string, string> = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...authorization } });
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return response.text().then((text) => (text ? JSON.parse(text) : undefined));
}

const SHOPPER = { email: `crash-${randomUUID()}@test.example`, password: `password-${randomUUID()}` };

/** Access tokens of the admin and of a customer (registered on first use). */
async function tokens(url: string): Promise<{ admin: string; customer: string }> {
  const logIn = async (credentials: { email: string; password: string }): Promise<string> =>
    (await json(`${url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify(credentials) })).accessToken;
  await json(`${url}/api/v1/auth/register`, { method: 'POST', body: JSON.stringify(SHOPPER) });
  return { admin: await logIn({ email: TEST_ENV.ADMIN_EMAIL, password: TEST_ENV.ADMIN_PASSWORD }), customer: await logIn(SHOPPER) };
}

describeOnPostgres('A process killed with SIGKILL mid-saga', () => {
  let app: AppProcess;
  let db: Client;
  let dropDatabase: () => Promise<void>;
  let admin: string;
  let customer: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = () => database.drop();
    db = new Client({ connectionString: database.env.DATABASE_URL });
    // The 300-order burst is about recovery, not admission: on a loaded machine its delivery lag can
    // pass the default bound, and refusals at the door would leave nothing to recover.
    app = new AppProcess(await freePort(), { ...database.env, ...restartableServiceEnv(), ORDER_ADMISSION_MAX_LAG_MS: '600000' });
  });

  afterAll(async () => {
    await app?.stop();
    await db?.end();
    await dropDatabase?.();
  });

  it('finishes every order after a restart, with nothing duplicated and stock adding up', async () => {
    // Slow payments keep the authorizations in flight when the process dies.
    await setTestProviderLatency(3000);
    await app.start();
    await db.connect();
    ({ admin, customer } = await tokens(app.url));
    const product = await json(
      `${app.url}/api/v1/products`,
      {
        method: 'POST',
        body: JSON.stringify({ sku: 'CRASH-1', name: 'Crash', description: 'x', category: 'test', price: { amount: 500, currency: 'EUR' } }),
      },
      admin,
    );
    // Inventory knows the product once the catalog's event reached it.
    const setStock = { method: 'PUT', body: JSON.stringify({ onHand: 10 }) };
    await eventually(() => json(`${app.url}/api/v1/inventory/${product.id}`, setStock, admin));
    await eventually(async () => {
      const { rows } = await db.query('SELECT 1 FROM ordering.product_price WHERE product_id = $1', [product.id]);
      expect(rows).toHaveLength(1);
    });
    const orderIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const placed = await json(
        `${app.url}/api/v1/orders`,
        { method: 'POST', body: JSON.stringify({ items: [{ productId: product.id, quantity: 2 }], payment: { method: 'card', token: 'tok_visa' } }) },
        customer,
      );
      orderIds.push(placed.id);
    }
    await eventually(async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM payments.payment WHERE status = 'PENDING'`);
      expect(rows[0].n).toBe(4);
    });

    await app.kill();
    const { rows: midway } = await db.query(`SELECT status FROM ordering.order_view WHERE id = ANY($1::uuid[])`, [orderIds]);
    expect(midway.every((r) => r.status === 'PENDING')).toBe(true);

    await setTestProviderLatency(0);
    await app.start();
    const finals = await eventually(async () => {
      const orders = await Promise.all(orderIds.map((id) => json(`${app.url}/api/v1/orders/${id}`, undefined, customer)));
      expect(orders.map((o) => o.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
      return orders;
    }, 30_000);
    expect(finals).toHaveLength(4);
    await eventually(async () => {
      const stock = await json(`${app.url}/api/v1/inventory/${product.id}`);
      expect(stock).toEqual({ productId: product.id, onHand: 2, reserved: 0, available: 2 });
    });
    // A confirmed order's capture is a call to the provider after the decision: it lands a moment later.
    await eventually(async () => {
      const { rows: payments } = await db.query('SELECT order_id, status FROM payments.payment WHERE order_id = ANY($1::uuid[])', [orderIds]);
      expect(payments.map((p) => p.status)).toEqual(['CAPTURED', 'CAPTURED', 'CAPTURED', 'CAPTURED']);
    });
    const { rows: reservations } = await db.query('SELECT status FROM inventory.reservation WHERE order_id = ANY($1::uuid[])', [orderIds]);
    expect(reservations.map((r) => r.status)).toEqual(['COMMITTED', 'COMMITTED', 'COMMITTED', 'COMMITTED']);
    const { rows: events } = await db.query(
      `SELECT order_id, count(*)::int AS n FROM ordering.order_event WHERE order_id = ANY($1::uuid[]) GROUP BY order_id`,
      [orderIds],
    );
    // Placed, stock reserved, payment authorized, confirmed, stock committed, payment captured, completed.
    expect(events.map((e) => e.n)).toEqual([7, 7, 7, 7]);
  });

  it('loses and duplicates nothing when killed while batches of replies are being handled', async () => {
    await app.stop();
    await app.start();
    const product = await json(
      `${app.url}/api/v1/products`,
      {
        method: 'POST',
        body: JSON.stringify({ sku: 'CRASH-2', name: 'Crash', description: 'x', category: 'test', price: { amount: 100, currency: 'EUR' } }),
      },
      admin,
    );
    const setStock = { method: 'PUT', body: JSON.stringify({ onHand: 1000 }) };
    await eventually(() => json(`${app.url}/api/v1/inventory/${product.id}`, setStock, admin));
    await eventually(async () => {
      const { rows } = await db.query('SELECT 1 FROM ordering.product_price WHERE product_id = $1', [product.id]);
      expect(rows).toHaveLength(1);
    });
    const body = JSON.stringify({ items: [{ productId: product.id, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } });
    const orderIds = (
      await Promise.all(Array.from({ length: 300 }, () => json(`${app.url}/api/v1/orders`, { method: 'POST', body }, customer)))
    ).map((placed: { id: string }) => placed.id);
    const decidedCount = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM ordering.order_view WHERE id = ANY($1::uuid[]) AND status <> 'PENDING'`, [orderIds])).rows[0]
        .n as number;
    await eventually(async () => expect(await decidedCount()).toBeGreaterThanOrEqual(20), 60_000);

    await app.kill();
    expect(await decidedCount()).toBeLessThan(300);

    await app.start();
    await eventually(async () => expect(await decidedCount()).toBe(300), 120_000);
    await eventually(async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM messaging.outbox WHERE published_at IS NULL AND dead_at IS NULL`);
      expect(rows[0].n).toBe(0);
    }, 60_000);
    const { rows: statuses } = await db.query(`SELECT status, count(*)::int AS n FROM ordering.order_view WHERE id = ANY($1::uuid[]) GROUP BY status`, [orderIds]);
    expect(statuses).toEqual([{ status: 'COMPLETED', n: 300 }]);
    expect(await json(`${app.url}/api/v1/inventory/${product.id}`)).toEqual({ productId: product.id, onHand: 700, reserved: 0, available: 700 });
    const { rows: payments } = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'CAPTURED')::int AS captured FROM payments.payment WHERE order_id = ANY($1::uuid[])`,
      [orderIds],
    );
    expect(payments[0]).toEqual({ n: 300, captured: 300 });
    const { rows: events } = await db.query(
      `SELECT count(*)::int AS n FROM ordering.order_event WHERE order_id = ANY($1::uuid[]) GROUP BY order_id HAVING count(*) <> 7`,
      [orderIds],
    );
    expect(events).toEqual([]);
    const { rows: notices } = await db.query(
      `SELECT template, count(*)::int AS n FROM notifications.notification WHERE order_id = ANY($1::uuid[]) GROUP BY template ORDER BY template`,
      [orderIds],
    );
    expect(notices).toEqual([
      { template: 'order-completed', n: 300 },
      { template: 'order-confirmed', n: 300 },
    ]);
  }, 300_000);
});
