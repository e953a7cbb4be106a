import { CommandBus } from '@nestjs/cqrs';
import fc from 'fast-check';
import { newId } from '../../libs/persistence';
import { CommitReservationCommand } from '../../src/modules/inventory/application/commit-reservation/commit-reservation.command';
import { ReleaseReservationCommand } from '../../src/modules/inventory/application/release-reservation/release-reservation.command';
import { ReserveStockCommand } from '../../src/modules/inventory/application/reserve-stock/reserve-stock.command';
import { ReservationReply } from '../../src/modules/inventory/domain/reservation';
import { decide, ReplyStatus } from '../../src/modules/ordering/application/place-order-saga/decision-matrix';
import { asAdmin } from '../support/auth';
import { sql, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';

/** Products of the catalog that have stock, and X, a product the catalog never had. */
const STOCKED = ['A', 'B', 'C'] as const;
type Stocked = (typeof STOCKED)[number];
type Product = Stocked | 'X';

interface Line {
  product: Product;
  quantity: number;
}

interface Level {
  onHand: number;
  reserved: number;
}

interface Message {
  type: string;
  payload: Record<string, unknown>;
}

/** The one reservation an order may have, whatever its fate; a release that came first leaves RELEASED without lines. */
interface ModelReservation {
  status: 'RESERVED' | 'COMMITTED' | 'RELEASED' | 'REJECTED';
  lines: Line[];
  /** What every request to reserve for the order is answered, as things stand. */
  reply: ReservationReply;
}

const RELEASED_REPLY: ReservationReply = { status: 'REJECTED', reason: 'RESERVATION_RELEASED', productIds: [] };

interface ModelOrder {
  id: string;
  /** The lines of every ReserveStockV1 of this order: a redelivery repeats them. */
  lines: Line[];
  reservation?: ModelReservation;
  /** What the order's saga heard from inventory: the reply to the first reservation request. */
  sagaHeard: ReplyStatus;
  /** The saga decided (it sent a commit or a release) or its deadline passed: the sweeper leaves it alone. */
  sagaEnded: boolean;
  /** Every message inventory published about the order, in order. */
  published: Message[];
}

interface Model {
  stock: Record<Stocked, Level>;
  orders: ModelOrder[];
}

/** Each run reserves for the same products, so its orders are new ids. */
const ORDERS_PER_RUN = 4;

const product: fc.Arbitrary<Product> = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...STOCKED) },
  { weight: 1, arbitrary: fc.constant('X' as const) },
);

/** One to three lines in any order, a product possibly named twice. */
const orderLines: fc.Arbitrary<Line[]> = fc.array(fc.record({ product, quantity: fc.integer({ min: 1, max: 3 }) }), {
  minLength: 1,
  maxLength: 3,
});

const orderIndex = fc.nat(ORDERS_PER_RUN - 1);

/** The order whose reservation request comes late, after its commit, release or expiry if the steps say so. */
const LATE_ORDER = 0;

type Step = fc.AsyncCommand<Model, unknown>;

describe('inventory against a model of its reservations', () => {
  let app: TestApp;
  let staff: HttpRoutes;
  let commands: CommandBus;
  const productIds = {} as Record<Product, string>;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
    commands = app.nest.get(CommandBus);
    const stocked = await Promise.all(STOCKED.map(() => stockedProduct(app, 0)));
    STOCKED.forEach((name, i) => (productIds[name] = stocked[i]));
    productIds.X = newId();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** The lines as inventory keeps them: one per product, quantities summed, by product id. */
  function merged(lines: readonly Line[]): Line[] {
    const quantities = new Map<Product, number>();
    for (const { product: name, quantity } of lines) quantities.set(name, (quantities.get(name) ?? 0) + quantity);
    return [...quantities]
      .map(([name, quantity]) => ({ product: name, quantity }))
      .sort((a, b) => (productIds[a.product] < productIds[b.product] ? -1 : 1));
  }

  function availableIn(model: Model, name: Product): number {
    return name === 'X' ? 0 : model.stock[name].onHand - model.stock[name].reserved;
  }

  /** All or nothing: every line fits in what is available, or the order is rejected naming each line that does not. */
  function reserveInModel(model: Model, order: ModelOrder): ReservationReply {
    if (!order.reservation) {
      const lines = merged(order.lines);
      const failing = lines.filter((line) => availableIn(model, line.product) < line.quantity);
      if (failing.length === 0) {
        for (const line of lines) model.stock[line.product as Stocked].reserved += line.quantity;
        order.reservation = { status: 'RESERVED', lines, reply: { status: 'RESERVED' } };
      } else {
        const reason = lines.some((line) => line.product === 'X') ? 'UNKNOWN_PRODUCT' : 'INSUFFICIENT_STOCK';
        const rejectedIds = failing.map((line) => productIds[line.product]);
        order.reservation = { status: 'REJECTED', lines, reply: { status: 'REJECTED', reason, productIds: rejectedIds } };
      }
      order.sagaHeard = order.reservation.status === 'RESERVED' ? 'ACCEPTED' : 'REJECTED';
    }
    const { reply } = order.reservation;
    order.published.push(
      reply.status === 'RESERVED'
        ? { type: 'inventory.stock.reserved', payload: { orderId: order.id } }
        : { type: 'inventory.stock.reservation-rejected', payload: { orderId: order.id, reason: reply.reason, productIds: reply.productIds } },
    );
    return reply;
  }

  /** Only held stock ships, once; a repeated commit is answered again, anything else is not answered. */
  function commitInModel(model: Model, order: ModelOrder): void {
    order.sagaEnded = true;
    const reservation = order.reservation;
    if (reservation?.status === 'RESERVED') {
      for (const { product: name, quantity } of reservation.lines) {
        model.stock[name as Stocked].onHand -= quantity;
        model.stock[name as Stocked].reserved -= quantity;
      }
      reservation.status = 'COMMITTED';
    }
    if (reservation?.status === 'COMMITTED') order.published.push({ type: 'inventory.reservation.committed', payload: { orderId: order.id } });
  }

  /** Held stock comes back, committed stock back on hand (a cancelled order); a release before the reservation leaves a tombstone. */
  function releaseInModel(model: Model, order: ModelOrder): void {
    order.sagaEnded = true;
    const reservation = order.reservation;
    if (reservation?.status === 'COMMITTED') {
      for (const { product: name, quantity } of reservation.lines) model.stock[name as Stocked].onHand += quantity;
      reservation.status = 'RELEASED';
      reservation.reply = RELEASED_REPLY;
    }
    if (!reservation) order.reservation = { status: 'RELEASED', lines: [], reply: RELEASED_REPLY };
    if (reservation?.status === 'RESERVED') {
      for (const { product: name, quantity } of reservation.lines) model.stock[name as Stocked].reserved -= quantity;
      reservation.status = 'RELEASED';
      reservation.reply = RELEASED_REPLY;
    }
    order.published.push({ type: 'inventory.reservation.released', payload: { orderId: order.id } });
  }

  async function expectStockAsModelled(model: Model): Promise<void> {
    // The model itself never oversells, so neither does inventory when it answers the same.
    for (const name of STOCKED) expect(model.stock[name].reserved).toBeLessThanOrEqual(model.stock[name].onHand);
    const products = [...STOCKED, 'X' as const];
    const answers = await Promise.all(products.map((name) => app.http().get(`/api/v1/inventory/${productIds[name]}`)));
    expect(answers.map(({ status, body }, i) => ({ product: products[i], status, body }))).toEqual([
      ...STOCKED.map((name) => {
        const { onHand, reserved } = model.stock[name];
        return { product: name, status: 200, body: { productId: productIds[name], onHand, reserved, available: onHand - reserved } };
      }),
      { product: 'X', status: 404, body: expect.anything() },
    ]);
  }

  async function expectPublishedAsModelled(order: ModelOrder): Promise<void> {
    const rows = await sql<{ envelope: Message }>(app, 'SELECT envelope FROM messaging.outbox WHERE aggregate_id = $1 ORDER BY seq', [order.id]);
    expect(rows.map(({ envelope }) => ({ type: envelope.type, payload: envelope.payload }))).toEqual(order.published);
  }

  /** A step that checks every product's stock against the model once it has run. */
  function step(name: string, run: (model: Model) => Promise<void>, check: (model: Readonly<Model>) => boolean = () => true): Step {
    return {
      check,
      run: async (model) => {
        await run(model);
        await expectStockAsModelled(model);
      },
      toString: () => name,
    };
  }

  /**
   * A message about one order, then a check of everything inventory published about it. Unless
   * `beforeReserving`, only the late order may get it before it asked to reserve: the others
   * ask first, as orders nearly always do, so that their steps meet stock held.
   */
  function orderStep(verb: string, act: (model: Model, order: ModelOrder) => Promise<void>, beforeReserving = false): fc.Arbitrary<Step> {
    return orderIndex.map((index) =>
      step(
        `${verb}(#${index})`,
        async (model) => {
          const order = model.orders[index];
          await act(model, order);
          await expectPublishedAsModelled(order);
        },
        (model) => beforeReserving || index === LATE_ORDER || model.orders[index].reservation !== undefined,
      ),
    );
  }

  /**
   * A stock count of what is reserved plus `change` units (at least 0), so that counts below the
   * reserved units come up often: those are refused with 409. X is refused with 404.
   */
  const setStock = fc.record({ product, change: fc.noBias(fc.integer({ min: -3, max: 6 })) }).map(({ product: name, change }) =>
    step(`setStock(${name}, reserved ${change < 0 ? '-' : '+'} ${Math.abs(change)})`, async (model) => {
      const level = name === 'X' ? undefined : model.stock[name];
      const onHand = Math.max(0, (level?.reserved ?? 0) + change);
      const response = await staff.put(`/api/v1/inventory/${productIds[name]}`).send({ onHand });
      if (!level) {
        expect(response.status).toBe(404);
        return;
      }
      if (onHand < level.reserved) {
        expect(response.status).toBe(409);
        return;
      }
      level.onHand = onHand;
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ productId: productIds[name], onHand, reserved: level.reserved, available: onHand - level.reserved });
    }),
  );

  const reserve = orderStep(
    'reserve',
    async (model, order) => {
      const lines = order.lines.map((line) => ({ productId: productIds[line.product], quantity: line.quantity }));
      const reply = await commands.execute(new ReserveStockCommand(order.id, lines));
      expect(reply).toEqual(reserveInModel(model, order));
    },
    true,
  );

  const commit = orderStep('commit', async (model, order) => {
    await commands.execute(new CommitReservationCommand(order.id));
    commitInModel(model, order);
  });

  async function releaseOrder(model: Model, order: ModelOrder): Promise<void> {
    await commands.execute(new ReleaseReservationCommand(order.id));
    releaseInModel(model, order);
  }

  const release = orderStep('release', releaseOrder);

  /**
   * Inventory has no expiry of its own: an order expires when its saga is still running at
   * SAGA_DEADLINE_MS, and the sweeper sends inventory what the saga's decision matrix says with
   * the missing reply counting as a rejection. That is a plain ReleaseReservationV1 (it carries
   * no reason) unless inventory had rejected the order, when nothing is sent. The payment is
   * taken as silent, since a saga with both replies in is decided before its deadline; a saga
   * that already sent a commit or a release is over, and no longer swept.
   */
  const expire = orderStep('expire', async (model, order) => {
    if (order.sagaEnded) return;
    order.sagaEnded = true;
    const decision = decide(order.sagaHeard, 'PENDING', true);
    if (decision.outcome !== 'WAIT' && decision.inventory === 'RELEASE') await releaseOrder(model, order);
  });

  /** Gives back what earlier runs still hold, so that a run starts with nothing reserved. */
  async function startRun(onHand: readonly number[], ordersLines: readonly Line[][]): Promise<{ model: Model; real: unknown }> {
    const held = await sql<{ order_id: string }>(app, "SELECT order_id FROM inventory.reservation WHERE status = 'RESERVED'");
    for (const { order_id } of held) await commands.execute(new ReleaseReservationCommand(order_id));
    const stock = {} as Record<Stocked, Level>;
    for (const [i, name] of STOCKED.entries()) {
      await staff.put(`/api/v1/inventory/${productIds[name]}`).send({ onHand: onHand[i] }).expect(200);
      stock[name] = { onHand: onHand[i], reserved: 0 };
    }
    const orders = ordersLines.map((lines): ModelOrder => ({ id: newId(), lines, sagaHeard: 'PENDING', sagaEnded: false, published: [] }));
    const model = { stock, orders };
    await expectStockAsModelled(model);
    return { model, real: undefined };
  }

  it('agrees with the model after every step of random stock counts, reservations, commits, releases and expiries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.noBias(fc.integer({ min: 3, max: 12 })), { minLength: STOCKED.length, maxLength: STOCKED.length }),
        fc.array(orderLines, { minLength: ORDERS_PER_RUN, maxLength: ORDERS_PER_RUN }),
        // Reserving three times as often as anything else: the other steps act on what it holds.
        fc.noBias(fc.commands([setStock, reserve, reserve, reserve, commit, release, expire], { maxCommands: 30, size: 'max' })),
        (onHand, ordersLines, steps) => fc.asyncModelRun(() => startRun(onHand, ordersLines), steps),
      ),
      { numRuns: 15 },
    );
  });
});
