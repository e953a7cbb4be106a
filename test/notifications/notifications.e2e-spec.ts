import { OrderConfirmedV1, OrderRejectedV1 } from '../../libs/contracts/ordering';
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
    return app.publish(message, message.payload.orderId);
  }

  /** The order's notifications once `count` are recorded and none is still queued. */
  async function notificationsOf(orderId: string, count: number, reader: HttpRoutes = customer.http()): Promise<Record<string, unknown>[]> {
    return app.eventually(async () => {
      const { body } = await reader.get('/api/v1/notifications').query({ orderId }).expect(200);
      expect(body.items).toHaveLength(count);
      expect(body.items.map((n: { status: string }) => n.status)).not.toContain('PENDING');
      return body.items;
    });
  }

  it('renders the confirmation once for the customer and, without SMTP_URL, keeps it unsent with the reason', async () => {
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
      status: 'NOT_SENT',
      statusReason: 'no SMTP_URL',
      // Recorded unsent: no send was tried.
      attempts: 0,
      lastError: null,
      sentAt: null,
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
      status: 'NOT_SENT',
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
    expect(notification).toMatchObject({ recipient: null, status: 'NOT_SENT', statusReason: 'no address', attempts: 0 });
    await drained(app);
    expect(await sql(app, 'SELECT count(*)::int AS n FROM messaging.dead_letter')).toEqual([{ n: 0 }]);
  });

  it('texts and pushes through the provider simulator the process hosts when no provider is named, as `npm start` does', async () => {
    const texted = await newCustomer(app);
    await texted
      .http()
      .put('/api/v1/notifications/preferences')
      .send({ channels: { email: false, sms: true, push: true }, phone: '+4915112345678', devices: ['fcm:hosted-1'] })
      .expect(200);
    const orderId = newId();

    await publish(new OrderConfirmedV1({ orderId, customerId: texted.id, total: { amount: 100, currency: 'EUR' } }));

    const items = await notificationsOf(orderId, 2, texted.http());
    expect(items.map(({ channel, status, attempts }) => ({ channel, status, attempts }))).toEqual([
      { channel: 'sms', status: 'SENT', attempts: 1 },
      { channel: 'push', status: 'SENT', attempts: 1 },
    ]);
  });

  it('lists nothing for an order it never heard of', async () => {
    const { body } = await customer.http().get('/api/v1/notifications').query({ orderId: newId() }).expect(200);
    expect(body).toEqual({ items: [] });
  });

  it('lists a customer their own history, across orders, and staff anyone\'s by customer or order', async () => {
    const other = await newCustomer(app);
    await drained(app);
    const [mine, theirs] = [newId(), newId()];
    await publish(new OrderConfirmedV1({ orderId: mine, customerId: customer.id, total: { amount: 100, currency: 'EUR' } }));
    await publish(new OrderConfirmedV1({ orderId: theirs, customerId: other.id, total: { amount: 200, currency: 'EUR' } }));
    await notificationsOf(theirs, 1, other.http());

    const { body: own } = await customer.http().get('/api/v1/notifications').expect(200);
    expect(own.items.map((n: { orderId: string }) => n.orderId)).toContain(mine);
    expect(own.items.every((n: { customerId: string }) => n.customerId === customer.id)).toBe(true);
    const { body: peeking } = await customer.http().get('/api/v1/notifications').query({ customerId: other.id }).expect(200);
    expect(peeking).toEqual({ items: [] });

    const admin = await asAdmin(app);
    const { body: byCustomer } = await admin.get('/api/v1/notifications').query({ customerId: other.id }).expect(200);
    expect(byCustomer.items).toEqual([expect.objectContaining({ orderId: theirs, customerId: other.id })]);
    const { body: byOrder } = await admin.get('/api/v1/notifications').query({ orderId: mine }).expect(200);
    expect(byOrder.items).toEqual([expect.objectContaining({ orderId: mine, customerId: customer.id })]);
  });

  it.each([
    ['orderId is not a UUID', { orderId: 'abc' }, 'orderId'],
    ['customerId has characters an id has not', { customerId: 'a b' }, 'customerId'],
    ['limit is 0', { limit: '0' }, 'limit'],
    ['limit is past 500', { limit: '501' }, 'limit'],
    ['a parameter is unknown', { orderId: newId(), page: '5' }, 'page'],
  ])('answers 400 naming the field when %s', async (_case, query, field) => {
    const response = await customer.http().get('/api/v1/notifications').query(query).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  describe('resend', () => {
    /** The id of a new notification to `customerId`. */
    async function recorded(customerId: string): Promise<{ id: string }> {
      const orderId = newId();
      await publish(new OrderConfirmedV1({ orderId, customerId, total: { amount: 100, currency: 'EUR' } }));
      const [notification] = await notificationsOf(orderId, 1, await asAdmin(app));
      return { id: notification.id as string };
    }

    it('is for staff only', async () => {
      const { id } = await recorded(customer.id);
      await customer.http().post(`/api/v1/notifications/${id}/resend`).set('idempotency-key', 'k-1').expect(403);
      await app.http().post(`/api/v1/notifications/${id}/resend`).set('idempotency-key', 'k-1').expect(401);
    });

    it('needs an Idempotency-Key and a known notification', async () => {
      const admin = await asAdmin(app);
      const { id } = await recorded(customer.id);
      const missing = await admin.post(`/api/v1/notifications/${id}/resend`).expect(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['Idempotency-Key']);
      await admin.post(`/api/v1/notifications/${id}/resend`).set('idempotency-key', 'has space').expect(400);
      await admin.post(`/api/v1/notifications/${newId()}/resend`).set('idempotency-key', 'k-1').expect(404);
      await admin.post('/api/v1/notifications/abc/resend').set('idempotency-key', 'k-1').expect(400);
    });

    it('refuses, with 409, a notification whose customer has no known address', async () => {
      const { id } = await recorded(newId());
      await (await asAdmin(app)).post(`/api/v1/notifications/${id}/resend`).set('idempotency-key', 'k-1').expect(409);
    });
  });
});
