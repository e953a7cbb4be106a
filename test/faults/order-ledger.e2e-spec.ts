/**
 * The order ledger through crashes, Jepsen-style: a client places orders at a fixed rate while the
 * service is up, each with its own Idempotency-Key, and the service is killed (SIGKILL) at
 * seed-chosen moments and started again on the same database. A request left without an answer
 * may or may not have placed its order, so the client sends it again, same key and body, once the
 * service is back. Afterwards every acknowledged order exists exactly once, priced right, and
 * stock, captures and notices add up to the confirmed orders. Answers leave a moment after their
 * order commits (ANSWER_DELAY), so the kills also cut off orders that were placed but never
 * acknowledged.
 *
 * One case runs a fixed seed, the other LEDGER_SEED if set, else a fresh one. Each prints its seed
 * and a `ledger:` summary line; LEDGER_SEED=<seed> replays a seed's choices (kill moments,
 * customers, products, orders), though not the timing they meet.
 *
 * FAULTS_LONG=1: the long variant, a minute of orders at a higher rate and eight kills instead of
 * ten seconds and three (the client goes on until the last restart either way). Needs a PostgreSQL
 * server in TEST_DATABASE_URL.
 */
import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { AppProcess, freePort, restartableServiceEnv } from '../support/app-process';
import { newCustomerAt, Session } from '../support/auth';
import { call, count, json, stockedProductAt } from '../support/service-http';
import { FINAL_STATUSES, ORDER_PROGRESS } from '../support/shop';
import { createTestDatabase, eventually } from '../support/test-app';
import { UNDELIVERED_MESSAGES } from '../support/test-env';

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) {
  process.stdout.write('order-ledger suite skipped: it needs a real Postgres server in TEST_DATABASE_URL\n');
}
const describeOnPostgres = postgres ? describe : describe.skip;

interface RunShape {
  name: string;
  /**
   * How long the client places orders while the service is up (orderingMs / intervalMs orders); it
   * goes on until the last restart if that comes later.
   */
  orderingMs: number;
  /** One order every this many ms. */
  intervalMs: number;
  kills: number;
  /** Bounds of how long the service runs before each kill; the seed chooses within them. */
  uptimeMs: [number, number];
  /**
   * Once the client has placed its last order: how long it goes on sending those without a 202
   * (longer than twice the longest Retry-After, 30 s, of a service catching up after a restart),
   * and then how long orders may take to become final and messages to drain.
   */
  settleMs: number;
}

const SHAPE: RunShape =
  process.env.FAULTS_LONG === '1'
    ? { name: 'long', orderingMs: 60_000, intervalMs: 20, kills: 8, uptimeMs: [1_000, 6_000], settleMs: 120_000 }
    : { name: 'bounded', orderingMs: 10_000, intervalMs: 50, kills: 3, uptimeMs: [500, 2_000], settleMs: 90_000 };

const FIXED_SEED = 20_240_611;
const PRODUCTS = 4;
const CUSTOMERS: [number, number] = [2, 5];
const LINES: [number, number] = [1, 3];
const QUANTITY: [number, number] = [1, 3];
const PRICE: [number, number] = [100, 9_999];
/** One order in this many pays with a card the provider declines. */
const DECLINED_ONE_IN = 8;
/**
 * Each placement answers this long after its order committed. Without it that window is a few ms
 * and a kill rarely lands in it; with it each kill leaves orders placed but never acknowledged, the
 * case the Idempotency-Key exists for: their resends must be answered with the order already placed.
 */
const ANSWER_DELAY = { FAILPOINTS: 'after-placement-commit=delay(200)' };
/** How long one send may wait for its answer; past it the send counts as unanswered. */
const SEND_TIMEOUT_MS = 10_000;
/** How long a send left unanswered waits for a restart at most before it is sent again. */
const RESEND_WAIT_MS = 1_000;
/** How long one restart may take to answer ready; past it the run fails with the process's output. */
const START_TIMEOUT_MS = 30_000;
/**
 * The first start migrates an empty database, some forty transactions, which a machine busy with
 * other suites can slow the most: it gets the bound every other suite's start gets.
 */
const FIRST_START_TIMEOUT_MS = 60_000;
/** Opening the shop before the run, and the checks after it. */
const SETUP_AND_CHECKS_MS = 60_000;
/**
 * Jest's bound on one case: the sum of every phase's own bound, so that a slow phase fails with its
 * own message (an app not ready, orders stuck, messages undelivered) before Jest's bare timeout.
 */
const CASE_TIMEOUT_MS =
  SHAPE.orderingMs + SHAPE.kills * (SHAPE.uptimeMs[1] + START_TIMEOUT_MS) + 3 * SHAPE.settleMs + FIRST_START_TIMEOUT_MS + SETUP_AND_CHECKS_MS;

/** A seed from LEDGER_SEED, to replay a run, else a fresh one. */
function randomCaseSeed(): number {
  const given = process.env.LEDGER_SEED;
  if (given === undefined || given === '') return randomInt(2 ** 31);
  if (!/^\d+$/.test(given)) throw new Error(`LEDGER_SEED must be a non-negative integer, not ${given}`);
  return Number(given);
}

/** Choices drawn from one seeded generator: the same seed, the same choices in the same order. */
class Draws {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  int([min, max]: [number, number]): number {
    return unsafeUniformIntDistribution(min, max, this.rng);
  }

  /** `n` different items of `items`. */
  some<T>(items: readonly T[], n: number): T[] {
    const left = [...items];
    return Array.from({ length: n }, () => left.splice(this.int([0, left.length - 1]), 1)[0]);
  }
}

interface Product {
  id: string;
  price: number;
  stock: number;
}

interface Shopper {
  id: string;
  session: Session;
}

interface LedgerOrder {
  key: string;
  shopper: Shopper;
  items: { productId: string; quantity: number }[];
  token: string;
  body: string;
  /** The 202's order id, once acknowledged. */
  orderId?: string;
  /** The 202 said the key had placed the order before: an earlier send placed it and lost its answer. */
  replayed: boolean;
  /** Sends that got no answer: the process died with the request in it, or was down. */
  unanswered: number;
  /** 503s of admission control: nothing was written, the client tries again after Retry-After. */
  busy: number;
  /** An answer no retry can change, which fails the run. */
  refusal?: string;
}

/** The service as the client sees it: up, or down until its restart. */
class KilledService {
  kills = 0;
  /** Time from each kill until the restart was ready, summed. */
  downMs = 0;
  /** When the last start was ready. */
  lastStartAt = Date.now();
  private up: Promise<void> = Promise.resolve();

  constructor(readonly app: AppProcess) {}

  async killAndRestart(): Promise<void> {
    let markUp!: () => void;
    // Down before the signal, so a send it cuts off waits for the restart instead of spinning.
    this.up = new Promise((resolve) => (markUp = resolve));
    const killedAt = Date.now();
    await this.app.kill();
    this.kills++;
    await this.app.start({}, START_TIMEOUT_MS);
    this.lastStartAt = Date.now();
    this.downMs += this.lastStartAt - killedAt;
    markUp();
  }

  /** Resolves once the service is up, or after `ms`, whichever comes first. */
  async upOrAfter(ms: number): Promise<void> {
    await Promise.race([this.up, sleep(ms)]);
  }

  /** Resolves once the service is up. */
  async whenUp(): Promise<void> {
    await this.up;
  }
}

/**
 * Sends the order until it is acknowledged, as a client that cannot tell a lost request from a lost
 * answer: the same key and body again, until a 202 or `giveUp`.
 */
async function deliver(service: KilledService, order: LedgerOrder, giveUp: AbortSignal): Promise<void> {
  while (!giveUp.aborted) {
    let response: Response;
    try {
      response = await call(
        `${service.app.url}/api/v1/orders`,
        {
          method: 'POST',
          body: order.body,
          headers: { 'idempotency-key': order.key },
          signal: AbortSignal.any([giveUp, AbortSignal.timeout(SEND_TIMEOUT_MS)]),
        },
        order.shopper.session,
      );
      if (response.status === 202) {
        order.orderId = ((await response.json()) as { id: string }).id;
        order.replayed = response.headers.get('idempotent-replayed') === 'true';
        return;
      }
    } catch {
      order.unanswered++;
      await service.upOrAfter(RESEND_WAIT_MS);
      continue;
    }
    const text = await response.text();
    if (response.status !== 503) {
      order.refusal = `${response.status} ${text}`;
      return;
    }
    order.busy++;
    await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000, undefined, { signal: giveUp }).catch(() => undefined);
  }
}

/** The seed's next order: a few products, a few of each, mostly a card that pays. */
function nextOrder(draws: Draws, index: number, seed: number, products: Product[], shoppers: Shopper[]): LedgerOrder {
  const shopper = shoppers[draws.int([0, shoppers.length - 1])];
  const items = draws.some(products, draws.int(LINES)).map((product) => ({ productId: product.id, quantity: draws.int(QUANTITY) }));
  const token = draws.int([1, DECLINED_ONE_IN]) === 1 ? 'tok_chargeDeclined' : 'tok_visa';
  const body = JSON.stringify({ items, payment: { method: 'card', token } });
  return { key: `ledger-${seed}-${index}`, shopper, items, token, body, replayed: false, unanswered: 0, busy: 0 };
}

/**
 * Places the seed's orders, one every `intervalMs` while the service is up, `orderingMs` worth and
 * more while `killing()`; resolves when each is acknowledged or refused, or `settleMs` after the
 * last was placed. No new order comes while the service is down (orders already placed are sent
 * again meanwhile): however slow its restarts, the service meets about the same number of orders,
 * so a slow machine does not also face a larger run.
 */
async function placeAtFixedRate(service: KilledService, next: (index: number) => LedgerOrder, killing: () => boolean): Promise<LedgerOrder[]> {
  const orders: LedgerOrder[] = [];
  const deliveries: Promise<void>[] = [];
  const giveUp = new AbortController();
  // Every delivery listens to it, by design: hundreds of listeners are no leak.
  setMaxListeners(0, giveUp.signal);
  let nextAt = Date.now();
  for (let index = 0; index < SHAPE.orderingMs / SHAPE.intervalMs || killing(); index++) {
    await service.whenUp();
    const order = next(index);
    orders.push(order);
    deliveries.push(deliver(service, order, giveUp.signal));
    // The rate restarts after a pause for a restart: the orders the pause skipped are not made up in a burst.
    nextAt = Math.max(nextAt + SHAPE.intervalMs, Date.now());
    await sleep(nextAt - Date.now());
  }
  const patience = setTimeout(() => giveUp.abort(), SHAPE.settleMs);
  await Promise.all(deliveries);
  clearTimeout(patience);
  return orders;
}

async function killAfterUptimes(service: KilledService, uptimesMs: number[]): Promise<void> {
  for (const uptime of uptimesMs) {
    await sleep(uptime);
    await service.killAndRestart();
  }
}

/**
 * Orders still undecided once every order is decided, or `settleMs` passed. A confirmed order's
 * completion may wait a little longer: a capture claimed by a killed process is delivered again
 * only once its lease (OUTBOX_LEASE_MS) runs out; that it completes is checked once the outbox is empty.
 */
async function undecidedAfterSettling(db: Client): Promise<string[]> {
  const giveUpAt = Date.now() + SHAPE.settleMs;
  for (;;) {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM ordering.order_view WHERE status = 'PENDING'`);
    if (rows.length === 0 || Date.now() > giveUpAt) return rows.map((row) => row.id);
    await sleep(50);
  }
}

interface OrderRow {
  id: string;
  customer_id: string;
  status: string;
  items: { productId: string; quantity: number; unitPrice: { amount: number; currency: string } }[];
  total: number;
  currency: string;
}

/** What the seed decides before the client starts; `draws` goes on to decide the orders. */
interface LedgerPlan {
  uptimesMs: number[];
  products: { price: number; stock: number }[];
  shoppers: number;
  draws: Draws;
}

function planOf(seed: number): LedgerPlan {
  const draws = new Draws(seed);
  const uptimesMs = Array.from({ length: SHAPE.kills }, () => draws.int(SHAPE.uptimeMs));
  // Stock for half to twice what `orderingMs` of orders ask on average: some products run out and
  // their late orders roll back, more of them when the kills outlast `orderingMs`.
  const linesPerOrder = (LINES[0] + LINES[1]) / 2;
  const unitsPerLine = (QUANTITY[0] + QUANTITY[1]) / 2;
  const demandPerProduct = Math.round(((SHAPE.orderingMs / SHAPE.intervalMs) * linesPerOrder * unitsPerLine) / PRODUCTS);
  const products = Array.from({ length: PRODUCTS }, () => ({
    price: draws.int(PRICE),
    stock: draws.int([Math.round(demandPerProduct / 2), 2 * demandPerProduct]),
  }));
  return { uptimesMs, products, shoppers: draws.int(CUSTOMERS), draws };
}

async function openShop(app: AppProcess, db: Client, plan: LedgerPlan): Promise<{ products: Product[]; shoppers: Shopper[] }> {
  const products: Product[] = [];
  for (const { price, stock } of plan.products) products.push({ id: await stockedProductAt(app, db, stock, price), price, stock });
  const shoppers: Shopper[] = [];
  for (let i = 0; i < plan.shoppers; i++) {
    const { session } = await newCustomerAt(app.url);
    shoppers.push({ id: (await json(`${app.url}/api/v1/users/me`, {}, session)).id, session });
  }
  return { products, shoppers };
}

interface Verdict {
  /** Acknowledged orders that do not exist. */
  lost: string[];
  /** Orders no acknowledgement names, and ids acknowledged for two keys: either way, placed twice. */
  duplicated: string[];
  /** Orders not final after settling. */
  stuck: string[];
}

function verdictOf(acknowledged: LedgerOrder[], rows: OrderRow[], stuck: string[]): Verdict {
  const acknowledgements = new Map<string, number>();
  for (const { orderId } of acknowledged) acknowledgements.set(orderId!, (acknowledgements.get(orderId!) ?? 0) + 1);
  const placed = new Set(rows.map((row) => row.id));
  return {
    lost: [...acknowledgements.keys()].filter((id) => !placed.has(id)),
    duplicated: [
      ...rows.filter((row) => !acknowledgements.has(row.id)).map((row) => row.id),
      ...[...acknowledgements].filter(([, n]) => n > 1).map(([id]) => id),
    ],
    stuck,
  };
}

/**
 * One greppable line per run, `ledger: key=value …`; `recovery_ms` counts from the last restart's
 * readiness until every order was final.
 */
function summaryOf(seed: number, service: KilledService, orders: LedgerOrder[], rows: OrderRow[], verdict: Verdict, recoveryMs: number): string {
  const total = (counter: (order: LedgerOrder) => number) => orders.reduce((sum, order) => sum + counter(order), 0);
  const withStatus = (status: string) => rows.filter((row) => row.status === status).length;
  const fields = {
    run: SHAPE.name,
    seed,
    orders: orders.length,
    acknowledged: total((order) => Number(order.orderId !== undefined)),
    kills: service.kills,
    down_ms: service.downMs,
    unanswered: total((order) => order.unanswered),
    replayed: total((order) => Number(order.replayed)),
    busy: total((order) => order.busy),
    confirmed: withStatus('COMPLETED'),
    rejected: withStatus('REJECTED'),
    rolled_back: withStatus('ROLLED_BACK'),
    lost: verdict.lost.length,
    duplicated: verdict.duplicated.length,
    stuck: verdict.stuck.length,
    recovery_ms: recoveryMs,
  };
  return `ledger: ${Object.entries(fields).map(([name, value]) => `${name}=${value}`).join(' ')}\n`;
}

/** What an order must look like: the customer who placed it, its lines at the catalog's prices. */
function pricedAsPlaced(order: LedgerOrder, prices: ReadonlyMap<string, number>) {
  return {
    id: order.orderId,
    customer_id: order.shopper.id,
    items: order.items.map((item) => ({ ...item, unitPrice: { amount: prices.get(item.productId), currency: 'EUR' } })),
    total: order.items.reduce((sum, item) => sum + item.quantity * prices.get(item.productId)!, 0),
    currency: 'EUR',
  };
}

function byId<T extends { id?: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.id! < b.id! ? -1 : 1));
}

describeOnPostgres('The order ledger of a service killed while orders stream in', () => {

  it.each([
    ['a fixed seed', FIXED_SEED],
    ['a random seed', randomCaseSeed()],
  ])(
    `with ${SHAPE.name} runs and %s, acknowledges each order once, priced right, and stock, captures and notices add up`,
    async (seedKind: string, seed: number) => {
      process.stdout.write(`order ledger, ${seedKind}: seed ${seed} (replay: LEDGER_SEED=${seed})\n`);
      const plan = planOf(seed);
      const database = await createTestDatabase();
      const db = new Client({ connectionString: database.env.DATABASE_URL });
      const service = new KilledService(new AppProcess(await freePort(), { ...restartableServiceEnv(), ...ANSWER_DELAY, ...database.env }));
      const { app } = service;
      try {
        await app.start({}, FIRST_START_TIMEOUT_MS);
        await db.connect();
        const { products, shoppers } = await openShop(app, db, plan);

        let killing = true;
        const killer = killAfterUptimes(service, plan.uptimesMs).finally(() => (killing = false));
        const orders = await placeAtFixedRate(service, (index) => nextOrder(plan.draws, index, seed, products, shoppers), () => killing);
        await killer;
        const stuck = await undecidedAfterSettling(db);
        if (stuck.length > 0) {
          const progress = await db.query(`${ORDER_PROGRESS} WHERE v.id = ANY($1::uuid[])`, [stuck]);
          process.stdout.write(`ledger: how far the undecided orders got: ${JSON.stringify(progress.rows)}\n`);
        }
        const recoveryMs = Date.now() - service.lastStartAt;
        await eventually(async () => expect(await count(db, UNDELIVERED_MESSAGES)).toBe(0), SHAPE.settleMs);

        const acknowledged = orders.filter((order) => order.orderId !== undefined);
        const rows = byId(
          (await db.query<OrderRow>('SELECT id, customer_id, status, items, total_amount::int AS total, currency FROM ordering.order_view')).rows,
        );
        const verdict = verdictOf(acknowledged, rows, stuck);
        process.stdout.write(summaryOf(seed, service, orders, rows, verdict, recoveryMs));

        expect(orders.filter((order) => order.orderId === undefined).map((o) => `${o.key}: ${o.refusal ?? 'no 202 in time'}`)).toEqual([]);
        expect(verdict).toEqual({ lost: [], duplicated: [], stuck: [] });
        expect(rows.filter((row) => !FINAL_STATUSES.includes(row.status)).map((row) => `${row.id}: ${row.status}`)).toEqual([]);
        expect(service.kills).toBe(SHAPE.kills);

        const keys = await db.query<{ customer_id: string; key: string; order_id: string }>('SELECT customer_id, key, order_id FROM ordering.idempotency_key');
        expect(byId(keys.rows.map((k) => ({ id: k.order_id, customer: k.customer_id, key: k.key })))).toEqual(
          byId(acknowledged.map((order) => ({ id: order.orderId, customer: order.shopper.id, key: order.key }))),
        );
        const prices = new Map(products.map((product) => [product.id, product.price]));
        expect(rows.map(({ status: _status, ...order }) => order)).toEqual(byId(acknowledged.map((order) => pricedAsPlaced(order, prices))));

        const confirmed = rows.filter((row) => row.status === 'COMPLETED');
        const declined = new Set(acknowledged.filter((order) => order.token === 'tok_chargeDeclined').map((order) => order.orderId));
        expect(confirmed.filter((row) => declined.has(row.id))).toEqual([]);
        for (const product of products) {
          const lines = confirmed.flatMap((row) => row.items).filter((item) => item.productId === product.id);
          const onHand = product.stock - lines.reduce((sum, item) => sum + item.quantity, 0);
          expect(await json(`${app.url}/api/v1/inventory/${product.id}`, {})).toEqual({ productId: product.id, onHand, reserved: 0, available: onHand });
        }
        const payments = (await db.query<{ order_id: string; status: string; amount: number }>('SELECT order_id, status, amount::int AS amount FROM payments.payment')).rows;
        expect(byId(payments.filter((p) => p.status === 'CAPTURED').map((p) => ({ id: p.order_id, total: p.amount })))).toEqual(
          confirmed.map((row) => ({ id: row.id, total: row.total })),
        );
        // A rolled-back or rejected order leaves no authorization holding the customer's money.
        expect(payments.filter((p) => p.status === 'PENDING' || p.status === 'AUTHORIZED')).toEqual([]);
        const notices = await db.query<{ order_id: string; n: number }>(
          `SELECT order_id, count(*)::int AS n FROM notifications.notification WHERE template = 'order-confirmed' GROUP BY order_id`,
        );
        expect(byId(notices.rows.map((r) => ({ id: r.order_id, n: r.n })))).toEqual(confirmed.map((row) => ({ id: row.id, n: 1 })));
        const outcomes = await db.query<{ order_id: string; n: number }>(
          `SELECT order_id, count(*)::int AS n FROM ordering.order_event WHERE type IN ('OrderConfirmed', 'OrderRejected', 'OrderRolledBack')
           GROUP BY order_id`,
        );
        expect(byId(outcomes.rows.map((r) => ({ id: r.order_id, n: r.n })))).toEqual(rows.map((row) => ({ id: row.id, n: 1 })));
        expect(await count(db, 'SELECT count(*)::int AS n FROM messaging.dead_letter')).toBe(0);
      } finally {
        await app.stop();
        await db.end().catch(() => undefined);
        await database.drop();
      }
    },
    CASE_TIMEOUT_MS,
  );
});
