import { PaymentParkedV1 } from '../../libs/contracts/payments';
import { UnitOfWork } from '../../libs/messaging';
import { newCustomer } from '../support/auth';
import { drained, placeOrder, sql, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

/** What the order does with payments' answer that the provider is unavailable and the authorization waits. */
describe('An order whose payment is parked', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ SAGA_DEADLINE_MS: '120000' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps a parked payment from running out the order\'s deadline, and records the parking once', async () => {
    const productId = await stockedProduct(app, 5);
    const customer = await newCustomer(app);
    // The provider never answers: the payment stays pending, as it would while parked.
    const orderId = await placeOrder(app, [{ productId, quantity: 1 }], 'tok_timeout', customer);
    const [{ deadline_at: deadlineBefore }] = await sql<{ deadline_at: Date }>(app, 'SELECT deadline_at FROM ordering.order_saga WHERE order_id = $1', [
      orderId,
    ]);
    const parkedUntil = new Date(Date.now() + 600_000);
    const park = () =>
      app.nest.get(UnitOfWork).run((tx) => {
        tx.publish(new PaymentParkedV1({ orderId, parkedUntil: parkedUntil.toISOString() }), orderId);
        return Promise.resolve();
      });
    await park();
    await park();
    await drained(app);

    const [{ deadline_at: deadlineAfter }] = await sql<{ deadline_at: Date }>(app, 'SELECT deadline_at FROM ordering.order_saga WHERE order_id = $1', [
      orderId,
    ]);
    expect(new Date(deadlineAfter).getTime()).toBe(parkedUntil.getTime() + 120_000);
    expect(new Date(deadlineAfter).getTime()).toBeGreaterThan(new Date(deadlineBefore).getTime());
    const { body: events } = await customer.http().get(`/api/v1/orders/${orderId}/events`).expect(200);
    expect(events.filter((e: { type: string }) => e.type === 'PaymentParked')).toEqual([
      expect.objectContaining({ data: { parkedUntil: parkedUntil.toISOString() } }),
    ]);
    expect((await customer.http().get(`/api/v1/orders/${orderId}`).expect(200)).body.status).toBe('PENDING');
  });
});
