import { AuthorizePaymentV2 } from '../../libs/contracts/payments';
import { finalOrder, placeOrder, stockedProduct } from '../support/shop';
import { SplitApp, splitUnavailable } from '../support/split-app';

const unavailable = splitUnavailable();
if (unavailable) process.stdout.write(`split-topology saga deadline suite skipped: ${unavailable}\n`);
const describeSplit = unavailable ? describe.skip : describe;

const DEADLINE_MS = 2000;
const AUTHORIZE = AuthorizePaymentV2.definition.type;

describeSplit('The saga deadline over Kafka', () => {
  let app: SplitApp;

  beforeAll(async () => {
    app = await SplitApp.start({ SAGA_DEADLINE_MS: String(DEADLINE_MS), SAGA_REDRIVE_AFTER_MS: '500', SAGA_SWEEP_MS: '200' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('neither expires nor re-drives an order whose payment request waits at the broker for its consumer', async () => {
    const productId = await stockedProduct(app, 10);
    const payments = app.processes.payments;
    await payments.stop();
    let orderIds: string[] = [];
    try {
      orderIds = await Promise.all([1, 2, 3].map(() => placeOrder(app, [{ productId, quantity: 1 }])));
      // Every request handed to the broker, and stock held: only the payment side is waiting.
      await app.eventually(async () => {
        const [{ n }] = await app.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM messaging.outbox WHERE aggregate_id = ANY($1::text[]) AND type = $2 AND published_at IS NOT NULL`,
          [orderIds, AUTHORIZE],
        );
        expect(n).toBe(orderIds.length);
        const reserved = await app.sql(`SELECT 1 FROM inventory.reservation WHERE order_id = ANY($1::uuid[]) AND status = 'RESERVED'`, [orderIds]);
        expect(reserved).toHaveLength(orderIds.length);
      });
      // Well past the deadline and many sweeps: queued is not late.
      await new Promise((resolve) => setTimeout(resolve, 3 * DEADLINE_MS));
      const sagas = await app.sql<{ status: string; payment: string; redrive_count: number }>(
        `SELECT s.status, s.payment, s.redrive_count FROM ordering.order_saga s WHERE s.order_id = ANY($1::uuid[])`,
        [orderIds],
      );
      expect(sagas).toEqual(orderIds.map(() => ({ status: 'RUNNING', payment: 'PENDING', redrive_count: 0 })));
      const requests = await app.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM messaging.outbox WHERE aggregate_id = ANY($1::text[]) AND type = $2`,
        [orderIds, AUTHORIZE],
      );
      expect(requests[0].n).toBe(orderIds.length);
    } finally {
      await payments.start();
    }
    // Back: the queued requests are handled and every order completes.
    for (const orderId of orderIds) expect((await finalOrder(app, orderId, 60_000)).status).toBe('COMPLETED');
  }, 180_000);
});
