import { FailpointName, ORDER_PATH_FAILPOINTS } from '../../libs/failpoints';
import { restartableServiceEnv } from '../support/app-process';
import { newCustomer } from '../support/auth';
import { FINAL_STATUSES, stockedProduct, stockOf } from '../support/shop';
import { expectProviderAgrees, ordersOf, sendOrder } from '../support/service-http';
import { SplitApp, splitUnavailable, SplitRole } from '../support/split-app';
import { eventually } from '../support/test-env';

const unavailable = splitUnavailable();
if (unavailable) process.stdout.write(`split crash-at-failpoints suite skipped: ${unavailable}\n`);
const describeSplit = unavailable ? describe.skip : describe;

/** The processes on the order path; notifications, which the order does not wait for, runs unarmed throughout. */
type OrderPathRole = Exclude<SplitRole, 'notifications'>;

/**
 * Every failpoint of the order path, each armed in a process where it fires. A round arms one in each of the three
 * order-path processes at once, so crashes in one process meet the recovery of another; four rounds cover all.
 */
const ROUNDS: Record<OrderPathRole, FailpointName>[] = [
  { edge: 'after-placement-commit', inventory: 'after-reserve-commit', payments: 'before-authorize-call' },
  { edge: 'after-reply-commit', inventory: 'after-stock-commit', payments: 'after-authorize-commit' },
  { edge: 'after-decision-commit', inventory: 'before-offset-commit', payments: 'after-capture-commit' },
  { edge: 'after-outbox-claim', inventory: 'after-outbox-publish', payments: 'after-outbox-mark' },
];
const ROLES = Object.keys(ROUNDS[0]) as OrderPathRole[];

const ORDERS = 30;
/**
 * Orders sent at once. The next wave goes when the orders placed so far are decided and every message
 * delivered, so each wave crosses every boundary of the order path of its own: overlapping waves were
 * batched together under load, and fewer crossings than KILL_AT left a process alive.
 */
const WAVE = 4;
const QUANTITY = 2;
/** Less than the orders ask for, so some roll back for stock as well as for a declined card. */
const STOCK = 40;
/** The visit that kills: some orders are through each boundary already. */
const KILL_AT = 3;

/** The customer's orders all decided and every message delivered; armed processes that died are back by then. */
async function decidedAndDrained(app: SplitApp, customerId: string): Promise<void> {
  await eventually(async () => {
    const [{ n: undecided }] = await app.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM ordering.order_view WHERE customer_id = $1 AND status <> ALL($2::text[])',
      [customerId, FINAL_STATUSES],
    );
    expect(undecided).toBe(0);
  }, 60_000);
  await app.drained(60_000);
}

describeSplit('The split over Kafka, its three order-path processes each killed at a failpoint', () => {
  let app: SplitApp;

  // Inside the suite, so that where it is skipped the file runs no test: Jest then keeps no time for
  // it from the embedded pass (seconds), and starts it first in the PostgreSQL pass (minutes).
  it('arms every failpoint of the order path in one of its rounds', () => {
    expect(ROUNDS.flatMap((round) => Object.values(round)).sort()).toEqual([...ORDER_PATH_FAILPOINTS].sort());
  });

  beforeAll(async () => {
    // Keys fixed across restarts; re-drives and deadlines far off, so the crash's leftovers alone finish the orders.
    app = await SplitApp.start({ ...restartableServiceEnv(), LOG_LEVEL: 'silent' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it.each(ROUNDS.map((round) => [round.edge, round.inventory, round.payments, round]))(
    'finishes every order after the edge is killed at %s, inventory at %s and payments at %s',
    async (_edge, _inventory, _payments, round: Record<OrderPathRole, FailpointName>) => {
      const productId = await stockedProduct(app, STOCK, 500);
      const customer = await newCustomer(app);
      const orders = ordersOf(productId, ORDERS, QUANTITY);
      await Promise.all(
        ROLES.map(async (role) => {
          await app.processes[role].stop();
          await app.processes[role].start({ FAILPOINTS: `${round[role]}=kill@${KILL_AT}` });
        }),
      );
      // Each armed process dies at its failpoint and comes back without it, while the client goes on.
      const endedBy: Partial<Record<OrderPathRole, NodeJS.Signals | null>> = {};
      let backAt = 0;
      const restarted = Promise.allSettled(
        ROLES.map(async (role) => {
          const service = app.processes[role];
          endedBy[role] = await service.ended();
          await service.start();
          backAt = Math.max(backAt, Date.now());
        }),
      );
      const edge = app.processes.edge;
      for (let first = 0; first < orders.length; first += WAVE) {
        await Promise.all(orders.slice(first, first + WAVE).map((order) => sendOrder(edge.url, customer.session, order)));
        await decidedAndDrained(app, customer.id);
      }
      await eventually(async () => {
        await Promise.all(orders.filter((order) => order.orderId === undefined).map((order) => sendOrder(edge.url, customer.session, order)));
        const alive = ROLES.filter((role) => !(role in endedBy));
        if (alive.length > 0) throw new Error(`not killed at its failpoint yet: ${alive.join(', ')}`);
        expect(orders.filter((order) => order.orderId === undefined)).toHaveLength(0);
      }, 90_000);
      for (const result of await restarted) if (result.status === 'rejected') throw result.reason;
      expect(endedBy).toEqual({ edge: 'SIGKILL', inventory: 'SIGKILL', payments: 'SIGKILL' });

      const orderIds = orders.map((order) => order.orderId!);
      expect(new Set(orderIds).size).toBe(orders.length);
      const [{ n: placed }] = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM ordering.order_view WHERE customer_id = $1', [customer.id]);
      expect(placed).toBe(ORDERS);
      await decidedAndDrained(app, customer.id);
      const recoveryMs = Date.now() - backAt;

      const confirmed = (
        await app.sql<{ id: string }>(`SELECT id FROM ordering.order_view WHERE customer_id = $1 AND status = 'COMPLETED' ORDER BY id`, [customer.id])
      ).map((r) => r.id);
      expect(confirmed.length).toBeGreaterThan(0);
      const left = STOCK - QUANTITY * confirmed.length;
      expect(await stockOf(app, productId)).toEqual({ productId, onHand: left, reserved: 0, available: left });
      const payments = await app.sql<{ order_id: string; status: string; amount: string; provider_ref: string | null }>(
        'SELECT order_id, status, amount::text, provider_ref FROM payments.payment WHERE order_id = ANY($1::uuid[]) ORDER BY order_id',
        [orderIds],
      );
      expect(payments.filter((r) => r.status === 'CAPTURED').map((r) => r.order_id)).toEqual(confirmed);
      await expectProviderAgrees(payments);
      const notices = await app.sql<{ order_id: string; n: number }>(
        `SELECT order_id, count(*)::int AS n FROM notifications.notification
         WHERE template = 'order-confirmed' AND order_id = ANY($1::uuid[]) GROUP BY order_id ORDER BY order_id`,
        [orderIds],
      );
      expect(notices).toEqual(confirmed.map((order_id) => ({ order_id, n: 1 })));
      const [{ n: finalEvents }] = await app.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM ordering.order_event
         WHERE order_id = ANY($1::uuid[]) AND type IN ('OrderConfirmed', 'OrderRejected', 'OrderRolledBack')`,
        [orderIds],
      );
      expect(finalEvents).toBe(ORDERS);
      const [{ n: deadLetters }] = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM messaging.dead_letter');
      expect(deadLetters).toBe(0);
      process.stdout.write(
        `failpoints: split, killed at ${ROLES.map((role) => `${role} ${round[role]}`).join(', ')}: ${ORDERS} orders, ` +
          `0 lost, 0 duplicated, 0 stuck, all decided ${recoveryMs} ms after the last restart\n`,
      );
    },
    180_000,
  );
});
