import { OrderConfirmedV1 } from '../../libs/contracts/ordering';
import { newId } from '../../libs/persistence';
import { asAdmin, Customer, newCustomer } from '../support/auth';
import { finalOrder, placeOrder, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { SmtpCatcher } from './smtp-catcher';

interface NotificationItem {
  id: string;
  status: string;
  statusReason: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

const MAX_ATTEMPTS = 5;

describe('notifications by e-mail over SMTP', () => {
  let smtp: SmtpCatcher;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    app = await startTestApp({
      SMTP_URL: smtp.url,
      SMTP_FROM: 'Shop <shop@test.example>',
      NOTIFICATION_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      NOTIFICATION_RETRY_BASE_MS: '20',
      NOTIFICATION_RETRY_MAX_MS: '200',
      NOTIFICATION_POLL_MS: '100',
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** A registered customer whose address notifications has already learnt. */
  async function knownCustomer(): Promise<Customer> {
    const customer = await newCustomer(app);
    await app.drained();
    return customer;
  }

  function confirm(customer: Customer, amount = 1250): Promise<string> {
    const orderId = newId();
    const confirmed = new OrderConfirmedV1({ orderId, customerId: customer.id, total: { amount, currency: 'EUR' } });
    return app.publish(confirmed, orderId).then(() => orderId);
  }

  /** The order's one e-mail of this template, once `settled`. */
  async function notificationOf(
    customer: Customer,
    orderId: string,
    settled: (n: NotificationItem) => boolean,
    template = 'order-confirmed',
  ): Promise<NotificationItem> {
    return app.eventually(async () => {
      const { body } = await customer.http().get('/api/v1/notifications').query({ orderId }).expect(200);
      const items = body.items.filter((n: { template: string }) => n.template === template);
      expect(items).toHaveLength(1);
      expect(settled(items[0])).toBe(true);
      return items[0];
    });
  }

  it('delivers the confirmation of a placed order to the customer, with the order id and total, then that it is paid', async () => {
    const customer = await knownCustomer();
    const productId = await stockedProduct(app, 10, 1999);
    const orderId = await placeOrder(app, [{ productId, quantity: 3 }], 'tok_visa', customer);
    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');

    const mails = await app.eventually(() => {
      const received = smtp.to(customer.email);
      expect(received.map((sent) => sent.subject).sort()).toEqual(['Your order is confirmed', 'Your order is paid']);
      return Promise.resolve(received);
    });
    const mail = mails.find((sent) => sent.subject === 'Your order is confirmed')!;
    expect(mail.from?.text).toBe('"Shop" <shop@test.example>');
    expect(mail.text).toContain(orderId);
    expect(mail.text).toContain('59.97 EUR');
    expect(mail.html).toContain(`<strong>${orderId}</strong>`);
    expect(mail.html).toContain('<strong>59.97 EUR</strong>');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    const notification = await notificationOf(customer, orderId, (n) => n.status === 'SENT');
    expect(notification).toMatchObject({ attempts: 1, lastError: null, sentAt: expect.any(String) });
    expect(await notificationOf(customer, orderId, (n) => n.status === 'SENT', 'order-completed')).toMatchObject({ attempts: 1 });
  });

  it('sends a notice once however often its event is delivered', async () => {
    const customer = await knownCustomer();
    const orderId = newId();
    const confirmed = new OrderConfirmedV1({ orderId, customerId: customer.id, total: { amount: 500, currency: 'EUR' } });
    for (let i = 0; i < 3; i++) await app.publish(confirmed, orderId);

    await notificationOf(customer, orderId, (n) => n.status === 'SENT');
    await app.drained();
    expect(smtp.to(customer.email)).toHaveLength(1);
  });

  it('resends a notification once per Idempotency-Key', async () => {
    const customer = await knownCustomer();
    const orderId = await confirm(customer);
    const { id } = await notificationOf(customer, orderId, (n) => n.status === 'SENT');
    const admin = await asAdmin(app);
    const resend = () => admin.post(`/api/v1/notifications/${id}/resend`).set('idempotency-key', `resend-${orderId}`).expect(202);

    const first = await resend();
    expect(first.body).toMatchObject({ id, status: 'PENDING', attempts: 0 });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await resend();
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const resent = await notificationOf(customer, orderId, (n) => n.status === 'SENT');
    expect(resent.attempts).toBe(1);
    expect(smtp.to(customer.email)).toHaveLength(2);
  });

  it('retries through an outage of the mail server and delivers once it is back', async () => {
    const customer = await knownCustomer();
    smtp.outageFor(2);
    const orderId = await confirm(customer);

    const notification = await notificationOf(customer, orderId, (n) => n.status === 'SENT');
    expect(notification).toMatchObject({ attempts: 3, lastError: null, sentAt: expect.any(String) });
    expect(smtp.deferred).toBeGreaterThanOrEqual(2);
    expect(smtp.to(customer.email)).toHaveLength(1);
    expect(smtp.to(customer.email)[0].text).toContain(orderId);
  });

  it('fails at once an address the server refuses for good, into the dead letters', async () => {
    const customer = await knownCustomer();
    smtp.refuse(customer.email);
    const orderId = await confirm(customer);

    const notification = await notificationOf(customer, orderId, (n) => n.status === 'FAILED');
    expect(notification).toMatchObject({ attempts: 1, sentAt: null, lastError: expect.stringContaining('550') });
    const admin = await asAdmin(app);
    const { body: letters } = await admin.get('/api/v1/admin/dead-letters').expect(200);
    const letter = letters.find((l: { messageId: string }) => l.messageId === notification.id);
    expect(letter).toMatchObject({
      source: 'notifications:email',
      type: 'notifications.email.order-confirmed',
      attempts: 1,
      error: expect.stringContaining('550'),
    });
    await admin.post(`/api/v1/admin/dead-letters/${letter.id}/replay`).expect(409);
    expect(smtp.to(customer.email)).toHaveLength(0);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts on an address the server keeps putting off`, async () => {
    const customer = await knownCustomer();
    smtp.putOffForEver(customer.email);
    const orderId = await confirm(customer);

    const notification = await notificationOf(customer, orderId, (n) => n.status === 'FAILED');
    expect(notification).toMatchObject({ attempts: MAX_ATTEMPTS, lastError: expect.stringContaining('451') });
    const { body: letters } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
    expect(letters.find((l: { messageId: string }) => l.messageId === notification.id)).toMatchObject({ attempts: MAX_ATTEMPTS });
  });
});
