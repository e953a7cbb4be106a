import { OrderConfirmedV1, OrderRejectedV1 } from '../../libs/contracts/ordering';
import { UnitOfWork } from '../../libs/messaging';
import { newId } from '../../libs/persistence';
import { asAdmin, Customer, newCustomer } from '../support/auth';
import { drained, sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';

describe('notifications', () => {
  let app: TestApp;
  let customer: Customer;

  beforeAll(async () => {
    app = await startTestApp();
    customer = await newCustomer(app);
    // Notifications learns the customer's address from identity's message.
    await app.drained();
  });

  afterAll(async () => {
    await app?.close();
  });

  function publish(message: OrderConfirmedV1 | OrderRejectedV1): Promise<void> {
    return app.nest.get(UnitOfWork).run((tx) => Promise.resolve(tx.publish(message, message.payload.orderId)));
  }

  async function notificationsOf(orderId: string, count: number, reader: HttpRoutes = customer.http()): Promise<Record<string, unknown>[]> {
    return app.eventually(async () => {
      const { body } = await reader.get('/api/v1/notifications').query({ orderId }).expect(200);
      expect(body.items).toHaveLength(count);
      return body.items;
    });
  }

  it('emails the customer once when their order is confirmed', async () => {
    const orderId = newId();
    const confirmed = new OrderConfirmedV1({ orderId, customerId: customer.id, total: { amount: 4598, currency: 'EUR' } });

    await publish(confirmed);
    await publish(confirmed);

    const [notification] = await notificationsOf(orderId, 1);
    expect(notification).toEqual({
      id: expect.any(String),
      orderId,
      customerId: customer.id,
      channel: 'email',
      template: 'order-confirmed',
      recipient: customer.email,
      subject: 'Your order is confirmed',
      body: expect.stringContaining('45.98 EUR'),
      status: 'SENT',
      statusReason: null,
      createdAt: expect.any(String),
    });
    await drained(app);
    await notificationsOf(orderId, 1);
    // The duplicate was handled, not failed into the dead letters.
    const deliveries = await sql<{ published: boolean }>(
      app,
      'SELECT published_at IS NOT NULL AS published FROM messaging.outbox WHERE aggregate_id = $1',
      [orderId],
    );
    expect(deliveries).toEqual([{ published: true }, { published: true }]);
  });

  it('tells the customer why their order was rejected, after any earlier notice', async () => {
    const orderId = newId();
    await publish(new OrderConfirmedV1({ orderId, customerId: customer.id, total: { amount: 100, currency: 'EUR' } }));
    await notificationsOf(orderId, 1);

    await publish(
      new OrderRejectedV1({
        orderId,
        customerId: customer.id,
        status: 'ROLLED_BACK',
        reasons: ['INSUFFICIENT_STOCK', 'PAYMENT_DECLINED'],
      }),
    );

    const items = await notificationsOf(orderId, 2);
    expect(items.map((n) => n.template)).toEqual(['order-confirmed', 'order-rejected']);
    expect(items[1]).toMatchObject({
      subject: 'Your order could not be completed',
      body: expect.stringContaining('insufficient stock, payment declined'),
      status: 'SENT',
    });
  });

  it("shows a customer only their own notifications, staff everyone's, and a caller without a token none", async () => {
    const orderId = newId();
    await publish(new OrderConfirmedV1({ orderId, customerId: customer.id, total: { amount: 100, currency: 'EUR' } }));
    await notificationsOf(orderId, 1);

    const stranger = await newCustomer(app);
    expect((await stranger.http().get('/api/v1/notifications').query({ orderId }).expect(200)).body).toEqual({ items: [] });
    const [seenByStaff] = await notificationsOf(orderId, 1, await asAdmin(app));
    expect(seenByStaff).toMatchObject({ orderId, customerId: customer.id, template: 'order-confirmed' });
    await app.http().get('/api/v1/notifications').query({ orderId }).expect(401);
  });

  it('keeps a notice for a customer whose address it does not know, not sent, with the reason', async () => {
    const orderId = newId();
    const admin = await asAdmin(app);
    await publish(new OrderConfirmedV1({ orderId, customerId: newId(), total: { amount: 100, currency: 'EUR' } }));

    const [notification] = await notificationsOf(orderId, 1, admin);
    expect(notification).toMatchObject({ recipient: null, status: 'NOT_SENT', statusReason: 'no address' });
    await drained(app);
    expect(await sql(app, 'SELECT count(*)::int AS n FROM messaging.dead_letter')).toEqual([{ n: 0 }]);
  });

  it('lists nothing for an order it never heard of', async () => {
    const { body } = await customer.http().get('/api/v1/notifications').query({ orderId: newId() }).expect(200);
    expect(body).toEqual({ items: [] });
  });

  it.each([
    ['missing', {}, 'orderId'],
    ['not a UUID', { orderId: 'abc' }, 'orderId'],
    ['accompanied by an unknown parameter', { orderId: newId(), limit: '5' }, 'limit'],
  ])('answers 400 naming the field when orderId is %s', async (_case, query, field) => {
    const response = await customer.http().get('/api/v1/notifications').query(query).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
