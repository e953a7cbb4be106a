import { CommandBus } from '@nestjs/cqrs';
import { ReserveStockV1 } from '../../libs/contracts/inventory';
import { UnitOfWork } from '../../libs/messaging';
import { newId } from '../../libs/persistence';
import { CommitReservationCommand } from '../../src/modules/inventory/application/commit-reservation/commit-reservation.command';
import { ReleaseReservationCommand } from '../../src/modules/inventory/application/release-reservation/release-reservation.command';
import { ReserveStockCommand } from '../../src/modules/inventory/application/reserve-stock/reserve-stock.command';
import { asAdmin } from '../support/auth';
import { sql, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';

describe('inventory reservations', () => {
  let app: TestApp;
  let staff: HttpRoutes;
  let commands: CommandBus;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
    commands = app.nest.get(CommandBus);
  });

  afterAll(async () => {
    await app?.close();
  });

  function stocked(onHand: number): Promise<string> {
    return stockedProduct(app, onHand);
  }

  async function stockOf(productId: string): Promise<{ onHand: number; reserved: number; available: number }> {
    const { body } = await app.http().get(`/api/v1/inventory/${productId}`).expect(200);
    return { onHand: body.onHand, reserved: body.reserved, available: body.available };
  }

  function reserve(orderId: string, lines: { productId: string; quantity: number }[]) {
    return commands.execute(new ReserveStockCommand(orderId, lines));
  }

  /** The messages inventory emitted about an order, in commit order. */
  async function published(orderId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
    const rows = await sql<{ envelope: { type: string; payload: Record<string, unknown> } }>(
      app,
      'SELECT envelope FROM messaging.outbox WHERE aggregate_id = $1 ORDER BY seq',
      [orderId],
    );
    return rows.map(({ envelope }) => ({ type: envelope.type, payload: envelope.payload }));
  }

  it('never oversells: 60 concurrent orders of one unit against 20 in stock reserve exactly 20', async () => {
    const productId = await stocked(20);

    const replies = await Promise.all(
      Array.from({ length: 60 }, () => reserve(newId(), [{ productId, quantity: 1 }])),
    );

    expect(replies.filter((r) => r.status === 'RESERVED')).toHaveLength(20);
    expect(replies.filter((r) => r.status === 'REJECTED')).toEqual(
      Array.from({ length: 40 }, () => ({ status: 'REJECTED', reason: 'INSUFFICIENT_STOCK', productIds: [productId] })),
    );
    expect(await stockOf(productId)).toEqual({ onHand: 20, reserved: 20, available: 0 });
  });

  it('reserves concurrent orders that lock the same products in opposite line order without deadlock', async () => {
    const a = await stocked(10);
    const b = await stocked(10);

    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        reserve(
          newId(),
          i % 2 === 0
            ? [{ productId: a, quantity: 1 }, { productId: b, quantity: 1 }]
            : [{ productId: b, quantity: 1 }, { productId: a, quantity: 1 }],
        ),
      ),
    );

    expect(replies.filter((r) => r.status === 'RESERVED')).toHaveLength(10);
    expect(await stockOf(a)).toEqual({ onHand: 10, reserved: 10, available: 0 });
    expect(await stockOf(b)).toEqual({ onHand: 10, reserved: 10, available: 0 });
  });

  it('reserves all lines or none, and names the lines that do not fit', async () => {
    const plenty = await stocked(5);
    const scarce = await stocked(1);
    const orderId = newId();

    const reply = await reserve(orderId, [
      { productId: plenty, quantity: 2 },
      { productId: scarce, quantity: 2 },
    ]);

    expect(reply).toEqual({ status: 'REJECTED', reason: 'INSUFFICIENT_STOCK', productIds: [scarce] });
    expect(await stockOf(plenty)).toEqual({ onHand: 5, reserved: 0, available: 5 });
    expect(await published(orderId)).toEqual([
      {
        type: 'inventory.stock.reservation-rejected',
        payload: { orderId, reason: 'INSUFFICIENT_STOCK', productIds: [scarce] },
      },
    ]);
  });

  it('adds up the lines of a product named twice', async () => {
    const productId = await stocked(5);

    expect(await reserve(newId(), [{ productId, quantity: 3 }, { productId, quantity: 3 }])).toMatchObject({
      status: 'REJECTED',
      productIds: [productId],
    });
    expect(await reserve(newId(), [{ productId, quantity: 2 }, { productId, quantity: 3 }])).toEqual({
      status: 'RESERVED',
    });
    expect(await stockOf(productId)).toEqual({ onHand: 5, reserved: 5, available: 0 });
  });

  it('rejects an order naming a product without stock as UNKNOWN_PRODUCT', async () => {
    const known = await stocked(5);
    const unknown = newId();

    const reply = await reserve(newId(), [
      { productId: known, quantity: 1 },
      { productId: unknown, quantity: 1 },
      { productId: 'not-a-uuid', quantity: 1 },
    ]);

    expect(reply).toEqual({ status: 'REJECTED', reason: 'UNKNOWN_PRODUCT', productIds: [unknown, 'not-a-uuid'] });
    expect(await stockOf(known)).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });

  it('reserves an order once however often it is asked, repeating the reply', async () => {
    const productId = await stocked(10);
    const orderId = newId();

    await reserve(orderId, [{ productId, quantity: 3 }]);
    const again = await reserve(orderId, [{ productId, quantity: 3 }]);

    expect(again).toEqual({ status: 'RESERVED' });
    expect(await stockOf(productId)).toEqual({ onHand: 10, reserved: 3, available: 7 });
    expect(await published(orderId)).toEqual([
      { type: 'inventory.stock.reserved', payload: { orderId } },
      { type: 'inventory.stock.reserved', payload: { orderId } },
    ]);
  });

  it('repeats a rejection with its reason even when stock has arrived since', async () => {
    const productId = await stocked(1);
    const orderId = newId();
    await reserve(orderId, [{ productId, quantity: 2 }]);
    await staff.put(`/api/v1/inventory/${productId}`).send({ onHand: 10 }).expect(200);

    expect(await reserve(orderId, [{ productId, quantity: 2 }])).toEqual({
      status: 'REJECTED',
      reason: 'INSUFFICIENT_STOCK',
      productIds: [productId],
    });
    expect(await stockOf(productId)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('commits a reservation once: on-hand and reserved both drop', async () => {
    const productId = await stocked(10);
    const orderId = newId();
    await reserve(orderId, [{ productId, quantity: 3 }]);

    await commands.execute(new CommitReservationCommand(orderId));
    await commands.execute(new CommitReservationCommand(orderId));

    expect(await stockOf(productId)).toEqual({ onHand: 7, reserved: 0, available: 7 });
    expect((await published(orderId)).map((m) => m.type)).toEqual([
      'inventory.stock.reserved',
      'inventory.reservation.committed',
      'inventory.reservation.committed',
    ]);
  });

  it('releases a reservation once: the units become available again', async () => {
    const productId = await stocked(10);
    const orderId = newId();
    await reserve(orderId, [{ productId, quantity: 4 }]);

    await commands.execute(new ReleaseReservationCommand(orderId));
    await commands.execute(new ReleaseReservationCommand(orderId));

    expect(await stockOf(productId)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect((await published(orderId)).map((m) => m.type)).toEqual([
      'inventory.stock.reserved',
      'inventory.reservation.released',
      'inventory.reservation.released',
    ]);
  });

  it('returns the stock of a committed reservation released (its order cancelled), once, and never commits a released one', async () => {
    const productId = await stocked(10);
    const committed = newId();
    const released = newId();
    await reserve(committed, [{ productId, quantity: 2 }]);
    await reserve(released, [{ productId, quantity: 3 }]);
    await commands.execute(new CommitReservationCommand(committed));
    await commands.execute(new ReleaseReservationCommand(released));

    expect(await stockOf(productId)).toEqual({ onHand: 8, reserved: 0, available: 8 });

    await commands.execute(new ReleaseReservationCommand(committed));
    await commands.execute(new ReleaseReservationCommand(committed));
    await commands.execute(new CommitReservationCommand(released));

    expect(await stockOf(productId)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect((await published(committed)).map((m) => m.type)).toEqual([
      'inventory.stock.reserved',
      'inventory.reservation.committed',
      'inventory.reservation.released',
      'inventory.reservation.released',
    ]);
    expect((await published(released)).map((m) => m.type)).toEqual([
      'inventory.stock.reserved',
      'inventory.reservation.released',
    ]);
  });

  it('blocks a reservation whose release arrived first', async () => {
    const productId = await stocked(10);
    const orderId = newId();

    await commands.execute(new ReleaseReservationCommand(orderId));
    const reply = await reserve(orderId, [{ productId, quantity: 1 }]);

    expect(reply).toEqual({ status: 'REJECTED', reason: 'RESERVATION_RELEASED', productIds: [] });
    expect(await stockOf(productId)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await published(orderId)).toEqual([
      { type: 'inventory.reservation.released', payload: { orderId } },
      {
        type: 'inventory.stock.reservation-rejected',
        payload: { orderId, reason: 'RESERVATION_RELEASED', productIds: [] },
      },
    ]);
  });

  it('reserves when a ReserveStockV1 message arrives, and replies with StockReservedV1', async () => {
    const productId = await stocked(10);
    const orderId = newId();

    const message = new ReserveStockV1({ orderId, lines: [{ productId, quantity: 2 }] });
    await app.nest.get(UnitOfWork).run((tx) => Promise.resolve(tx.publish(message, orderId)));

    await app.eventually(async () => {
      expect(await stockOf(productId)).toEqual({ onHand: 10, reserved: 2, available: 8 });
      expect((await published(orderId)).map((m) => m.type)).toEqual([
        'inventory.stock.reserve',
        'inventory.stock.reserved',
      ]);
    });
  });
});
