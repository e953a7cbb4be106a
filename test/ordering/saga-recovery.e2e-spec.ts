import { StockReservedV1 } from '../../libs/contracts/inventory';
import { UnitOfWork } from '../../libs/messaging';
import { DataSource } from 'typeorm';
import { CommitReservationHandler } from '../../src/modules/inventory/application/commit-reservation/commit-reservation.handler';
import { SAGA_TRAFFIC } from '../../src/modules/ordering/application/place-order-saga/saga-traffic';
import { OrderSagaRepository } from '../../src/modules/ordering/infrastructure/order-saga.repository';
import { asAdmin } from '../support/auth';
import { drained, finalOrder, placeOrder, sql, stockedProduct, stockOf } from '../support/shop';
import { itInProcess, startTestApp, TestApp } from '../support/test-app';

describe('Saga recovery', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      MESSAGE_MAX_ATTEMPTS: '1',
      SAGA_DEADLINE_MS: '20000',
      SAGA_REDRIVE_AFTER_MS: '500',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('re-drives an order whose request was lost and still confirms it', async () => {
    const productId = await stockedProduct(app, 4);
    await sql(app, 'ALTER TABLE inventory.reservation RENAME TO reservation_unavailable');
    let orderId: string;
    try {
      orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
      // The only delivery of ReserveStock fails: the request is dead-lettered, the order waits.
      await app.eventually(async () => {
        const { body } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
        expect(body.some((l: { envelope: { aggregateId: string } }) => l.envelope.aggregateId === orderId)).toBe(true);
      });
    } finally {
      await sql(app, 'ALTER TABLE inventory.reservation_unavailable RENAME TO reservation');
    }
    const order = await finalOrder(app, orderId!);
    await drained(app);
    expect(order.status).toBe('COMPLETED');
    const [saga] = await sql<{ redrive_count: number }>(app, 'SELECT redrive_count FROM ordering.order_saga WHERE order_id = $1', [orderId!]);
    expect(saga.redrive_count).toBeGreaterThanOrEqual(1);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  itInProcess('waits twice as long before each further re-drive of a running order, up to 16 times', async () => {
    const productId = await stockedProduct(app, 4);
    await sql(app, 'ALTER TABLE inventory.reservation RENAME TO reservation_unavailable');
    try {
      const orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
      await app.eventually(async () => {
        const { body } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
        expect(body.some((l: { envelope: { aggregateId: string } }) => l.envelope.aggregateId === orderId)).toBe(true);
      });
      // The payment request sent beside the reservation, or a re-drive by the app's own sweeper, may
      // still wait in the outbox, and an order with a queued message is never due. Hold the sweeper
      // off (500 ms × 16) and let the outbox empty first.
      await sql(app, 'UPDATE ordering.order_saga SET redrive_count = 10, last_driven_at = now() WHERE order_id = $1', [orderId]);
      await app.eventually(async () => {
        const [{ undelivered }] = await sql<{ undelivered: number }>(
          app,
          'SELECT count(*)::int AS undelivered FROM messaging.outbox WHERE aggregate_id = $1 AND published_at IS NULL AND dead_at IS NULL',
          [orderId],
        );
        expect(undelivered).toBe(0);
      });
      const sagas = app.nest.get(OrderSagaRepository);
      const { manager } = app.nest.get(DataSource);
      // Asked with a 100 ms base; the app's own sweeper (500 ms base) finds none of these due.
      const dueAfter = async (redriveCount: number, drivenMsAgo: number) => {
        await sql(app, `UPDATE ordering.order_saga SET redrive_count = $2, last_driven_at = now() - make_interval(secs => $3::float8 / 1000) WHERE order_id = $1`, [
          orderId,
          redriveCount,
          drivenMsAgo,
        ]);
        return (await sagas.findStalled(manager, 100, 1000, SAGA_TRAFFIC)).includes(orderId);
      };
      expect(await dueAfter(0, 150)).toBe(true);
      expect(await dueAfter(3, 700)).toBe(false);
      expect(await dueAfter(3, 900)).toBe(true);
      expect(await dueAfter(10, 1500)).toBe(false);
      expect(await dueAfter(10, 1700)).toBe(true);
      await sql(app, 'UPDATE ordering.order_saga SET redrive_count = 0 WHERE order_id = $1', [orderId]);
    } finally {
      await sql(app, 'ALTER TABLE inventory.reservation_unavailable RENAME TO reservation');
    }
    await drained(app);
  });

  it('asks again for the stock commit of a confirmed order whose commit was lost, and completes it once', async () => {
    const productId = await stockedProduct(app, 4);
    // Every handling of CommitReservation fails until its delivery is dead-lettered, the order staying CONFIRMED:
    // however the dispatcher batches it (together with others, then in smaller parts, then alone), it is lost.
    const handler = app.nest.get(CommitReservationHandler);
    const lost = [
      jest.spyOn(handler, 'executeBatch').mockRejectedValue(new Error('commit lost')),
      jest.spyOn(handler, 'execute').mockRejectedValue(new Error('commit lost')),
    ];
    const orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
    await app.eventually(async () => {
      const { body } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
      expect(body.some((l: { envelope: { aggregateId: string; type: string } }) => l.envelope.aggregateId === orderId && l.envelope.type === 'inventory.reservation.commit')).toBe(true);
    });
    for (const spy of lost) spy.mockRestore();

    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    await drained(app);
    const [saga] = await sql<{ redrive_count: number }>(app, 'SELECT redrive_count FROM ordering.order_saga WHERE order_id = $1', [orderId]);
    expect(saga.redrive_count).toBeGreaterThanOrEqual(1);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 3, reserved: 0 });
    const captures = await sql<{ n: number }>(
      app,
      `SELECT count(*)::int AS n FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'payments.payment.capture'`,
      [orderId],
    );
    // Only what was not acknowledged is asked again.
    expect(captures[0].n).toBe(1);
  });

  it('releases a reservation that arrives after the order was rejected', async () => {
    const productId = await stockedProduct(app, 0);
    const orderId = await placeOrder(app, [{ productId, quantity: 1 }], 'tok_chargeDeclined');
    expect((await finalOrder(app, orderId)).status).toBe('REJECTED');
    await drained(app);
    const releases = () =>
      sql<{ n: number }>(
        app,
        `SELECT count(*)::int AS n FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'inventory.reservation.release'`,
        [orderId],
      );
    expect((await releases())[0].n).toBe(0);

    await app.nest.get(UnitOfWork).run((tx) => Promise.resolve(tx.publish(new StockReservedV1({ orderId }), orderId)));
    await drained(app);

    expect((await releases())[0].n).toBe(1);
    const { body } = await (await asAdmin(app)).get(`/api/v1/orders/${orderId}`).expect(200);
    expect(body.status).toBe('REJECTED');
  });
});
