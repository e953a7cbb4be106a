import { randomUUID } from 'node:crypto';
import { AppProcess, ensureBuilt, freePort, restartableServiceEnv } from '../support/app-process';
import { ADMIN_ENV, FAST_PASSWORD_HASHING, bearer, logInAt, newCustomerAt, Session } from '../support/auth';
import { FaultProxy } from '../support/fault-proxy';
import { createTestDatabase, eventually } from '../support/test-app';
import { redisForTests } from '../cache/cache-test-support';

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) process.stdout.write('dependency-faults suite skipped: it needs a real Postgres server in TEST_DATABASE_URL\n');
const redis = postgres ? redisForTests('dependency-faults suite') : undefined;
const describeWithBoth = postgres && redis ? describe : describe.skip;

/** Longer than any answer may take: a request still open after it counts as a hang. */
const ANSWER_WITHIN_MS = 10_000;
/** How long the service may take to find a dependency back by itself. */
const RECOVERY_MS = 30_000;

interface Answer {
  status: number;
  contentType: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted, not typed
  body: any;
}

/** The answer to a request, or a failed test if none comes within ANSWER_WITHIN_MS. */
async function ask(url: string, init: RequestInit = {}, session?: Session): Promise<Answer> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(session ? bearer(session) : {}), ...init.headers },
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

function expectStatus(answer: Answer, status: number): Answer {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

describeWithBoth('The service when Redis or PostgreSQL misbehave', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let postgresProxy: FaultProxy;
  let redisProxy: FaultProxy;
  let app: AppProcess;
  let pid: number | undefined;
  let customer: Session;
  let productId: string;

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    postgresProxy = await FaultProxy.forUrl(database.env.DATABASE_URL, 5432);
    redisProxy = await FaultProxy.forUrl(redis!, 6379);
    // Its far saga deadline leaves every order to be decided by its replies, however long a fault lasts.
    app = new AppProcess(await freePort(), {
      ...restartableServiceEnv(),
      ...FAST_PASSWORD_HASHING,
      DATABASE_URL: postgresProxy.in(database.env.DATABASE_URL),
      REDIS_URL: redisProxy.in(redis!),
      CACHE_KEY_PREFIX: `faults-${randomUUID()}`,
    });
    await app.start();
    pid = app.pid;

    const admin = await logInAt(app.url, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
    const product = { sku: `FAULT-${randomUUID()}`, name: 'Fault', description: 'x', category: 'test', price: { amount: 500, currency: 'EUR' } };
    productId = expectStatus(await ask(`${app.url}/api/v1/products`, { method: 'POST', body: JSON.stringify(product) }, admin), 201).body.id;
    await eventually(async () => {
      expectStatus(await ask(`${app.url}/api/v1/inventory/${productId}`, { method: 'PUT', body: JSON.stringify({ onHand: 1000 }) }, admin), 200);
    });
    customer = (await newCustomerAt(app.url)).session;
    // The search model and the price replica learn of the product asynchronously.
    await eventually(async () => expect(foundIn(await uncachedSearch())).toBe(true));
    await confirmedOrder();
  }, 90_000);

  afterEach(() => {
    postgresProxy.pass();
    redisProxy.pass();
  });

  afterAll(async () => {
    await app?.stop();
    await postgresProxy?.close();
    await redisProxy?.close();
    await database?.drop();
  });

  /** Places an order and waits for it to be CONFIRMED. */
  async function confirmedOrder(): Promise<void> {
    const order = { items: [{ productId, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } };
    const { id } = (
      await eventually(async () =>
        expectStatus(
          await ask(`${app.url}/api/v1/orders`, { method: 'POST', body: JSON.stringify(order), headers: { 'idempotency-key': randomUUID() } }, customer),
          202,
        ),
      )
    ).body;
    await eventually(async () => expect(expectStatus(await ask(`${app.url}/api/v1/orders/${id}`, {}, customer), 200).body.status).toBe('CONFIRMED'), 20_000);
  }

  /** A product search no earlier request asked, so no cache level holds it. */
  function uncachedSearch(): Promise<Answer> {
    return ask(`${app.url}/api/v1/products?q=fault&maxPrice=${1000 + Math.floor(Math.random() * 1_000_000)}`);
  }

  function foundIn(search: Answer): boolean {
    return expectStatus(search, 200).body.items.some((item: { id: string }) => item.id === productId);
  }

  function ready(): Promise<Answer> {
    return ask(`${app.url}/health/ready`);
  }

  /** Still the process that started, with no unhandled rejection or uncaught exception in its output. */
  function expectAlive(): void {
    expect(app.exitCode).toBeNull();
    expect(app.pid).toBe(pid);
    expect(app.output.join('')).not.toMatch(/unhandled|uncaught/i);
  }

  describe.each([
    ['blackholed', (proxy: FaultProxy) => proxy.blackhole()],
    ['resetting every connection', (proxy: FaultProxy) => proxy.reset()],
  ])('with Redis %s', (_fault, inflict) => {
    it('serves reads from the database, confirms orders, stays ready, and finds Redis back by itself', async () => {
      inflict(redisProxy);

      expect(foundIn(await uncachedSearch())).toBe(true);
      expectStatus(await ask(`${app.url}/api/v1/products/${productId}`), 200);
      await confirmedOrder();
      await eventually(async () => {
        const answer = expectStatus(await ready(), 200);
        expect(answer.body.checks.database.status).toBe('up');
        expect(answer.body.checks.redis.status).toBe('down');
      });
      expectAlive();

      redisProxy.pass();
      await eventually(async () => expect(expectStatus(await ready(), 200).body.checks.redis.status).toBe('up'), RECOVERY_MS);
      expectStatus(await uncachedSearch(), 200);
      expectAlive();
    }, 90_000);
  });

  describe('with PostgreSQL resetting every connection', () => {
    it('fails requests in flight with a problem, is not ready, and recovers by itself', async () => {
      // Slowed first, so the requests are waiting on the database when their connections are reset.
      postgresProxy.delay(2_000);
      const inFlight = [uncachedSearch(), uncachedSearch(), ask(`${app.url}/api/v1/orders?limit=5`, {}, customer)];
      await new Promise((resolve) => setTimeout(resolve, 500));
      postgresProxy.reset();

      for (const answer of await Promise.all(inFlight)) {
        expect(answer.status).toBeGreaterThanOrEqual(500);
        expect(answer.contentType).toContain('application/problem+json');
      }
      // Anyone may ask, so the reason is the driver's code, not its message (which names hosts).
      expect(expectStatus(await ready(), 503).body.checks.database.error).toMatch(/^\w+$/);
      await expectDatabaseOutageOutlived();
    }, 90_000);
  });

  describe('with PostgreSQL silent', () => {
    it('answers readiness with the database down instead of hanging, and recovers by itself', async () => {
      postgresProxy.blackhole();

      await expectDatabaseOutageOutlived();
    }, 90_000);
  });

  /**
   * Not ready, with a 503 problem naming the database as what is down; then, once PostgreSQL
   * answers again, ready and confirming orders, without a restart.
   */
  async function expectDatabaseOutageOutlived(): Promise<void> {
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.contentType).toContain('application/problem+json');
    expect(notReady.body.checks.database.status).toBe('down');
    expectAlive();

    postgresProxy.pass();
    await eventually(async () => expectStatus(await ready(), 200), RECOVERY_MS);
    await confirmedOrder();
    expectAlive();
  }
});
