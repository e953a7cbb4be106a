import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { BOUNDED_WAITS } from '../../libs/persistence';
import { AppProcess, freePort, restartableServiceEnv } from '../support/app-process';
import { ADMIN_ENV, bearer, logInAt, newCustomerAt, Session } from '../support/auth';
import { FaultProxy } from '../support/fault-proxy';
import { RedisServer, redisServerMissing } from '../support/redis-server';
import { FINAL_STATUSES } from '../support/shop';
import { createTestDatabase, eventually } from '../support/test-env';

const postgres = process.env.TEST_DATABASE_URL;
const unavailable = postgres ? redisServerMissing() : 'it needs a real Postgres server in TEST_DATABASE_URL';
if (unavailable) process.stdout.write(`dependency-faults suite skipped: ${unavailable}\n`);
const describeWithBoth = unavailable ? describe.skip : describe;

/** The service's bound on one query: short here, so a query PostgreSQL never answers ends long before the fault does. */
const QUERY_TIMEOUT_MS = 2_000;
/**
 * Longer than any answer may take: a request waits on the database at most for a connection
 * from the pool, then for one query on it; the rest is room for a busy machine. A request still
 * open after it counts as a hang.
 */
const ANSWER_WITHIN_MS = BOUNDED_WAITS.connectionTimeoutMillis + QUERY_TIMEOUT_MS + 5_000;
/** How long the service may take to find a dependency back by itself. */
const RECOVERY_MS = 30_000;
/**
 * How long PostgreSQL stays silent under load: longer than a request's longest wait on it (for a
 * connection, which a busy machine leaves none of idle, then for a query), so that every request
 * caught by the fault ends by a timeout while PostgreSQL is still silent, not by its return.
 */
const BLACKHOLE_MS = BOUNDED_WAITS.connectionTimeoutMillis + QUERY_TIMEOUT_MS + 3_000;
/** The client under load sends an order and a read this often. */
const TICK_MS = 250;
/** Load before and after the fault, to see it served normally on both sides. */
const CALM_MS = 3_000;
/** The search invalidation of a change waits out the catalog's window of a second; then Redis gets 250 ms to take it. */
const INVALIDATION_ATTEMPTED_MS = 1_500;
const STOCK = 1000;
const PRICE = 500;
const NEW_PRICE = 700;

interface Answer {
  status: number;
  contentType: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted, not typed
  body: any;
}

/** Every answer any request got, for counting the errors of a fault's window. */
const answered: { at: number; status: number }[] = [];

/** The answer to a request; throws if none comes within ANSWER_WITHIN_MS. */
async function ask(url: string, init: RequestInit = {}, session?: Session): Promise<Answer> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(session ? bearer(session) : {}), ...init.headers },
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  const text = await response.text();
  answered.push({ at: Date.now(), status: response.status });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

function expectStatus(answer: Answer, status: number): Answer {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

/** An error is a 5xx problem, never a hang, a 4xx or a bare body. */
function expectServerProblem(answer: Answer): void {
  expect(answer.status).toBeGreaterThanOrEqual(500);
  expect(answer.contentType).toContain('application/problem+json');
}

function errorsBetween(from: number, to: number): number {
  return answered.filter(({ at, status }) => at >= from && at <= to && status >= 300).length;
}

function report(scenario: string, line: Record<string, string | number>): void {
  const fields = Object.entries(line).map(([name, value]) => `${name}=${value}`);
  process.stdout.write(`faults: ${scenario}: ${fields.join(' ')}\n`);
}

interface Product {
  id: string;
  /** A word in its name alone: a search for it finds this product only. */
  word: string;
}

/** A customer ordering one product of its own, and the order each Idempotency-Key got a 202 for. */
interface Shopper {
  session: Session;
  product: Product;
  accepted: Map<string, string>;
}

/** A request of the client under load, and how it ended. */
interface Sent {
  key?: string;
  startedAt: number;
  endedAt: number;
  answer?: Answer;
  failure?: string;
}

/** A client sending at a fixed rate, whatever the answers, until stopped. */
class SteadyClient {
  private readonly sent: Promise<Sent>[] = [];
  private sending = true;
  private readonly loop: Promise<void>;

  constructor(requestsOfTick: (tick: number) => Promise<Sent>[]) {
    this.loop = (async () => {
      for (let tick = 0; this.sending; tick++) {
        this.sent.push(...requestsOfTick(tick));
        await sleep(TICK_MS);
      }
    })();
  }

  /** Counts requests sent besides the steady ones. */
  add(...requests: Promise<Sent>[]): void {
    this.sent.push(...requests);
  }

  /** Stops sending and resolves once every request sent has ended. */
  async stop(): Promise<Sent[]> {
    this.sending = false;
    await this.loop;
    return Promise.all(this.sent);
  }
}

async function send(request: () => Promise<Answer>, key?: string): Promise<Sent> {
  const startedAt = Date.now();
  try {
    const answer = await request();
    return { key, startedAt, endedAt: Date.now(), answer };
  } catch (error) {
    return { key, startedAt, endedAt: Date.now(), failure: String(error) };
  }
}

describeWithBoth('The service when Redis or PostgreSQL misbehave', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let direct: Client;
  let redis: RedisServer;
  let postgresProxy: FaultProxy;
  let redisProxy: FaultProxy;
  let app: AppProcess;
  let pid: number | undefined;
  let admin: Session;
  let steadyClient: SteadyClient | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The suite's own Redis, which it kills; the one other suites share is never touched.
    redis = new RedisServer(await freePort());
    await redis.start();
    postgresProxy = await FaultProxy.forUrl(database.env.DATABASE_URL, 5432);
    redisProxy = await FaultProxy.forUrl(redis.url, 6379);
    // Its far saga deadline leaves every order to be decided by its replies, however long a fault lasts.
    app = new AppProcess(await freePort(), {
      ...restartableServiceEnv(),
      DATABASE_URL: postgresProxy.in(database.env.DATABASE_URL),
      DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      REDIS_URL: redisProxy.in(redis.url),
    });
    await app.start();
    pid = app.pid;
    // What the checks read, past the proxy.
    direct = new Client({ connectionString: database.env.DATABASE_URL });
    await direct.connect();
    admin = await logInAt(app.url, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
  }, 90_000);

  afterEach(async () => {
    postgresProxy.pass();
    redisProxy.pass();
    if (redis && !redis.running) await redis.start();
    await steadyClient?.stop();
    steadyClient = undefined;
  });

  afterAll(async () => {
    await app?.stop();
    await direct?.end();
    await postgresProxy?.close();
    await redisProxy?.close();
    await redis?.kill();
    await database?.drop();
  });

  /** A product with stock, found by search and known to ordering's price replica when this resolves. */
  async function newShopper(): Promise<Shopper> {
    const word = `fault${randomUUID().replace(/[^a-f]/g, '')}`;
    const details = { sku: `FAULT-${randomUUID()}`, name: `Fault ${word}`, description: 'x', category: 'test', price: { amount: PRICE, currency: 'EUR' } };
    const id = expectStatus(await ask(`${app.url}/api/v1/products`, { method: 'POST', body: JSON.stringify(details) }, admin), 201).body.id;
    const product = { id, word };
    await eventually(async () => {
      expectStatus(await ask(`${app.url}/api/v1/inventory/${id}`, { method: 'PUT', body: JSON.stringify({ onHand: STOCK }) }, admin), 200);
    });
    await eventually(async () => expect(hitOf(await uncachedSearch(product), product)).toBeDefined());
    const shopper = { session: (await newCustomerAt(app.url)).session, product, accepted: new Map<string, string>() };
    await confirmedOrder(shopper);
    return shopper;
  }

  /** Places one unit of the shopper's product under `key`, noting a 202. */
  async function placeOrder(shopper: Shopper, key: string): Promise<Answer> {
    const order = { items: [{ productId: shopper.product.id, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } };
    const answer = await ask(`${app.url}/api/v1/orders`, { method: 'POST', body: JSON.stringify(order), headers: { 'idempotency-key': key } }, shopper.session);
    if (answer.status === 202) shopper.accepted.set(key, answer.body.id);
    return answer;
  }

  /** Places an order, under one key however often it must try, and waits for it to be COMPLETED. */
  async function confirmedOrder(shopper: Shopper): Promise<{ total: { amount: number } }> {
    const key = randomUUID();
    await eventually(async () => expectStatus(await placeOrder(shopper, key), 202));
    const url = `${app.url}/api/v1/orders/${shopper.accepted.get(key)}`;
    return eventually(async () => {
      const order = expectStatus(await ask(url, {}, shopper.session), 200).body;
      expect(order.status).toBe('COMPLETED');
      return order;
    }, 20_000);
  }

  function listOrders(shopper: Shopper): Promise<Answer> {
    return ask(`${app.url}/api/v1/orders?limit=5`, {}, shopper.session);
  }

  /** A search for the product that no earlier request asked, so no cache level holds it. */
  function uncachedSearch(product: Product): Promise<Answer> {
    return ask(`${app.url}/api/v1/products?q=${product.word}&maxPrice=${1000 + Math.floor(Math.random() * 1_000_000)}`);
  }

  /** The same search each time, so its page is cached in both levels. */
  function cachedSearch(product: Product): Promise<Answer> {
    return ask(`${app.url}/api/v1/products?q=${product.word}`);
  }

  function hitOf(search: Answer, product: Product): { price: { amount: number } } | undefined {
    return expectStatus(search, 200).body.items.find((item: { id: string }) => item.id === product.id);
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

  /** Milliseconds from `healedAt` until the service is ready with every dependency up and has confirmed an order. */
  async function recoveredSince(healedAt: number, shopper: Shopper): Promise<number> {
    await eventually(async () => {
      const { checks } = expectStatus(await ready(), 200).body;
      expect([checks.database.status, checks.redis.status]).toEqual(['up', 'up']);
    }, RECOVERY_MS);
    await confirmedOrder(shopper);
    return Date.now() - healedAt;
  }

  /** The product page, its cached search page and a new order all at `amount`: no level of the cache serves an older price. */
  async function expectPriceServed(shopper: Shopper, amount: number): Promise<void> {
    const { product } = shopper;
    await eventually(async () => {
      expect(expectStatus(await ask(`${app.url}/api/v1/products/${product.id}`), 200).body.price.amount).toBe(amount);
      expect(hitOf(await cachedSearch(product), product)?.price.amount).toBe(amount);
    });
    expect((await confirmedOrder(shopper)).total.amount).toBe(amount);
  }

  /**
   * Every order the shopper got a 202 for is decided, none more exists, and the product's stock
   * went down by the confirmed ones with nothing left reserved. Returns the orders placed.
   */
  async function expectNothingLost(shopper: Shopper): Promise<number> {
    const accepted = [...shopper.accepted.values()];
    const [{ customer_id: customer }] = (await direct.query('SELECT customer_id FROM ordering.order_view WHERE id = $1', [accepted[0]])).rows;
    const orders = await eventually(async () => {
      const { rows } = await direct.query<{ id: string; status: string }>('SELECT id, status FROM ordering.order_view WHERE customer_id = $1', [customer]);
      expect(rows.filter(({ status }) => !FINAL_STATUSES.includes(status))).toEqual([]);
      return rows;
    }, RECOVERY_MS);
    expect(orders.map(({ id }) => id).sort()).toEqual([...new Set(accepted)].sort());
    const confirmed = orders.filter(({ status }) => status === 'COMPLETED').length;
    // Inventory commits a confirmed order's reservation when the confirmation reaches it.
    await eventually(async () => {
      const stock = expectStatus(await ask(`${app.url}/api/v1/inventory/${shopper.product.id}`, {}, admin), 200).body;
      expect([stock.onHand, stock.reserved]).toEqual([STOCK - confirmed, 0]);
    });
    return orders.length;
  }

  describe.each<[string, () => void | Promise<void>, () => void | Promise<void>]>([
    ['blackholed', () => redisProxy.blackhole(), () => redisProxy.pass()],
    ['resetting every connection', () => redisProxy.reset(), () => redisProxy.pass()],
    ['killed, then restarted', () => redis.kill(), () => redis.start()],
  ])('with Redis %s', (fault, inflict, heal) => {
    it('serves reads from the database, confirms orders, stays ready, and serves the price changed meanwhile once Redis is back', async () => {
      const shopper = await newShopper();
      const { product } = shopper;
      // Both levels now hold the product and its search page at the old price.
      await expectPriceServed(shopper, PRICE);

      await inflict();
      const faultAt = Date.now();
      expect(hitOf(await uncachedSearch(product), product)).toBeDefined();
      expectStatus(await ask(`${app.url}/api/v1/products/${product.id}`), 200);
      await confirmedOrder(shopper);
      await eventually(async () => {
        const { checks } = expectStatus(await ready(), 200).body;
        expect([checks.database.status, checks.redis.status]).toEqual(['up', 'down']);
      });
      // A new price, and its indexing, while Redis cannot take their invalidations.
      const change = { price: { amount: NEW_PRICE, currency: 'EUR' } };
      expectStatus(await ask(`${app.url}/api/v1/products/${product.id}`, { method: 'PATCH', body: JSON.stringify(change) }, admin), 200);
      await eventually(async () => expect(hitOf(await uncachedSearch(product), product)?.price.amount).toBe(NEW_PRICE));
      await sleep(INVALIDATION_ATTEMPTED_MS);
      expectAlive();

      await heal();
      const healedAt = Date.now();
      const recoveryMs = await recoveredSince(healedAt, shopper);
      await expectPriceServed(shopper, NEW_PRICE);
      const placed = await expectNothingLost(shopper);
      expectAlive();
      report(`redis ${fault}`, { orders: placed, lost: 0, duplicated: 0, stuck: 0, errorsDuringFault: errorsBetween(faultAt, healedAt), recoveryMs });
    }, 90_000);
  });

  describe('with PostgreSQL resetting every connection', () => {
    it('fails requests in flight with a problem, is not ready, and recovers by itself', async () => {
      const shopper = await newShopper();
      // Slowed first, so the requests are waiting on the database when their connections are reset.
      postgresProxy.delay(2_000);
      const faultAt = Date.now();
      const inFlight = [uncachedSearch(shopper.product), uncachedSearch(shopper.product), listOrders(shopper)];
      await sleep(500);
      postgresProxy.reset();

      for (const answer of await Promise.all(inFlight)) expectServerProblem(answer);
      // Anyone may ask, so the reason is the driver's code, not its message (which names hosts).
      expect(expectStatus(await ready(), 503).body.checks.database.error).toMatch(/^\w+$/);
      await expectDatabaseOutageOutlived(`postgres resetting every connection`, shopper, faultAt);
    }, 90_000);
  });

  describe('with PostgreSQL silent', () => {
    it('answers readiness with the database down instead of hanging, and recovers by itself', async () => {
      const shopper = await newShopper();
      postgresProxy.blackhole();

      await expectDatabaseOutageOutlived('postgres silent', shopper, Date.now());
    }, 90_000);

    it('ends a request whose query PostgreSQL stops answering after the query timeout, with a problem, while it is still silent', async () => {
      const shopper = await newShopper();
      // A listing: one query, with nothing to fall back on; and connections enough in the pool that it goes out on an open one.
      await Promise.all(Array.from({ length: 8 }, () => listOrders(shopper)));
      // Slowed first, so the query is on its way when PostgreSQL goes silent: its answer never comes.
      postgresProxy.delay(500);
      const inFlight = send(() => listOrders(shopper));
      await sleep(200);
      postgresProxy.blackhole();
      const faultAt = Date.now();

      const { answer, endedAt, failure } = await inFlight;
      expect(failure).toBeUndefined();
      expectServerProblem(answer!);
      await expectDatabaseOutageOutlived('postgres silent under a query in flight', shopper, faultAt, { inFlightEndedAfterMs: endedAt - faultAt });
    }, 90_000);
  });

  /**
   * Not ready, with a 503 problem naming the database as what is down; then, once PostgreSQL
   * answers again, ready and confirming orders, without a restart, nothing lost.
   */
  async function expectDatabaseOutageOutlived(scenario: string, shopper: Shopper, faultAt: number, measured: Record<string, number> = {}): Promise<void> {
    const notReady = await ready();
    expectServerProblem(notReady);
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.database.status).toBe('down');
    expectAlive();

    postgresProxy.pass();
    const healedAt = Date.now();
    const recoveryMs = await recoveredSince(healedAt, shopper);
    await expectPriceServed(shopper, PRICE);
    const placed = await expectNothingLost(shopper);
    expectAlive();
    report(scenario, { orders: placed, lost: 0, duplicated: 0, stuck: 0, errorsDuringFault: errorsBetween(faultAt, healedAt), ...measured, recoveryMs });
  }

  describe(`with PostgreSQL blackholed for ${BLACKHOLE_MS / 1000} s under load`, () => {
    it('answers every request in bounded time, ends the queries it left hanging, loses no order and recovers by itself', async () => {
      const shopper = await newShopper();
      const { product } = shopper;
      const orderWith = (key: string) => send(() => placeOrder(shopper, key), key);
      const client = new SteadyClient((tick) => [
        orderWith(randomUUID()),
        send(() => (tick % 2 === 0 ? ask(`${app.url}/api/v1/products/${product.id}`) : uncachedSearch(product))),
      ]);
      steadyClient = client;
      await sleep(CALM_MS);

      // Slowed a moment first, so requests are waiting on PostgreSQL's answers when it goes silent: orders, and
      // listings, whose one query has nothing to fall back on. Connections enough in the pool that theirs are open ones.
      await Promise.all(Array.from({ length: 16 }, () => listOrders(shopper)));
      const slowedAt = Date.now();
      postgresProxy.delay(500);
      const caught = [orderWith(randomUUID()), send(() => listOrders(shopper)), orderWith(randomUUID()), send(() => listOrders(shopper))];
      client.add(...caught);
      await sleep(200);
      postgresProxy.blackhole();
      const faultAt = Date.now();
      await sleep(BLACKHOLE_MS);
      postgresProxy.pass();
      const healedAt = Date.now();
      const recoveryMs = await recoveredSince(healedAt, shopper);
      const recoveredAt = Date.now();
      await sleep(CALM_MS);
      const requests = await client.stop();

      // Every request got an answer within ANSWER_WITHIN_MS; every error is a 5xx problem.
      expect(requests.filter(({ failure }) => failure !== undefined)).toEqual([]);
      for (const { answer } of requests) if (answer!.status >= 300) expectServerProblem(answer!);
      const failed = requests.filter(({ answer }) => answer!.status >= 300);
      expect(failed.filter(({ endedAt }) => endedAt < slowedAt)).toEqual([]);
      expect(failed.filter(({ startedAt }) => startedAt >= recoveredAt)).toEqual([]);
      const inFlight = requests.filter(({ startedAt, endedAt }) => startedAt < faultAt && endedAt > faultAt);
      // Their queries' timeout ended them while PostgreSQL was still silent, not its return.
      for (const request of await Promise.all(caught)) {
        expect(inFlight).toContain(request);
        expect(request.endedAt - faultAt).toBeLessThan(healedAt - faultAt);
      }
      expectAlive();

      // A client tries again, with the same key, what was refused; the order it may have placed after all is not placed twice.
      const refused = requests.filter(({ key, answer }) => key !== undefined && answer!.status !== 202).map(({ key }) => key!);
      for (const key of refused) await eventually(async () => expectStatus(await placeOrder(shopper, key), 202));
      const placed = await expectNothingLost(shopper);
      await expectPriceServed(shopper, PRICE);
      expectAlive();

      const inFlightEndedMs = inFlight.map(({ endedAt }) => endedAt - faultAt);
      report(`postgres blackholed ${BLACKHOLE_MS} ms under load`, {
        orders: placed,
        lost: 0,
        duplicated: 0,
        stuck: 0,
        requests: requests.length,
        errorsDuringFault: failed.filter(({ startedAt, endedAt }) => endedAt >= slowedAt && startedAt < healedAt).length,
        refusedOrdersPlacedAgain: refused.length,
        inFlightAtFault: inFlight.length,
        inFlightEndedAfterMs: `${Math.min(...inFlightEndedMs)}-${Math.max(...inFlightEndedMs)}`,
        slowestAnswerMs: Math.max(...requests.map(({ startedAt, endedAt }) => endedAt - startedAt)),
        recoveryMs,
      });
    }, 120_000);
  });
});
