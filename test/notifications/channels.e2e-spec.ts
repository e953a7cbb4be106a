import { OrderConfirmedV1 } from '../../libs/contracts/ordering';
import { PaymentRefundedV1 } from '../../libs/contracts/payments';
import { newId } from '../../libs/persistence';
import { RunningProviderSimulator } from '../../src/simulators/providers';
import { testProvider } from '../support/app-process';
import { asAdmin, Customer, newCustomer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { newDevice, newPhone, ProviderControl } from './provider-control';
import { SmtpCatcher } from './smtp-catcher';

interface NotificationItem {
  id: string;
  channel: string;
  recipient: string | null;
  subject: string;
  body: string;
  status: string;
  statusReason: string | null;
  attempts: number;
  lastError: string | null;
}

interface Preferences {
  channels: { email: boolean; sms: boolean; push: boolean };
  phone: string | null;
  devices: string[];
}

const PREFERENCES = '/api/v1/notifications/preferences';
// Retries come every 200 ms at most: room for seconds of outage on a loaded machine before one gives up.
const MAX_ATTEMPTS = 50;
const PAYMENT = '0190c000-0000-7000-8000-0000000000cc';

/** Every notification of the order, by channel, once `count` are recorded and each is `settled`. */
async function notificationsOf(
  app: TestApp,
  customer: Customer,
  orderId: string,
  count: number,
  settled: (n: NotificationItem) => boolean = (n) => n.status !== 'PENDING',
): Promise<Record<string, NotificationItem>> {
  return app.eventually(async () => {
    const { body } = await customer.http().get('/api/v1/notifications').query({ orderId }).expect(200);
    expect(body.items).toHaveLength(count);
    expect(body.items.every(settled)).toBe(true);
    return Object.fromEntries(body.items.map((n: NotificationItem) => [n.channel, n]));
  });
}

function confirm(app: TestApp, customer: Customer, deliveries = 1): Promise<string> {
  const orderId = newId();
  const confirmed = new OrderConfirmedV1({ orderId, customerId: customer.id, total: { amount: 2599, currency: 'EUR' } });
  const publish = (): Promise<void> => app.publish(confirmed, orderId);
  return Array.from({ length: deliveries })
    .reduce<Promise<void>>((previous) => previous.then(publish), Promise.resolve())
    .then(() => orderId);
}

/** A registered customer, known to notifications, who chose `preferences`. */
async function customerWith(app: TestApp, preferences: Preferences): Promise<Customer> {
  const customer = await newCustomer(app);
  await customer.http().put(PREFERENCES).send(preferences).expect(200);
  await app.drained();
  return customer;
}

describe('notifications by SMS and push', () => {
  let smtp: SmtpCatcher;
  let provider: RunningProviderSimulator;
  let providers: ProviderControl;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    provider = await testProvider();
    providers = new ProviderControl(provider.url);
    app = await startTestApp({
      SMTP_URL: smtp.url,
      SMS_PROVIDER_URL: provider.url,
      PUSH_PROVIDER_URL: provider.url,
      NOTIFICATION_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      NOTIFICATION_RETRY_BASE_MS: '20',
      NOTIFICATION_RETRY_MAX_MS: '200',
      NOTIFICATION_POLL_MS: '100',
    });
  });

  afterEach(() => providers.restore());

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('tells a customer who chose SMS and push on every channel, once each, however often the event comes', async () => {
    const [phone, phoneOfApp, tablet] = [newPhone(), newDevice(), newDevice()];
    const customer = await customerWith(app, { channels: { email: true, sms: true, push: true }, phone, devices: [phoneOfApp, tablet] });

    const orderId = await confirm(app, customer, 2);

    const { email, sms, push } = await notificationsOf(app, customer, orderId, 3);
    expect(email).toMatchObject({ recipient: customer.email, subject: 'Your order is confirmed', status: 'SENT', attempts: 1 });
    expect(sms).toMatchObject({ recipient: phone, subject: '', status: 'SENT', attempts: 1, body: expect.stringContaining('25.99 EUR') });
    expect(push).toMatchObject({ recipient: `${phoneOfApp} ${tablet}`, subject: 'Order confirmed', status: 'SENT', attempts: 1 });
    await app.drained();
    expect(smtp.to(customer.email)).toHaveLength(1);
    expect(await providers.textsTo(phone)).toEqual([expect.objectContaining({ body: `Your order ${orderId} is confirmed. 25.99 EUR authorized; we will tell you once it is paid.` })]);
    for (const device of [phoneOfApp, tablet]) {
      expect(await providers.pushesTo(device)).toEqual([
        expect.objectContaining({ title: 'Order confirmed', body: expect.stringContaining(orderId), data: { orderId, notice: 'order-confirmed' } }),
      ]);
    }
  });

  it("tells of each refund of an order on the channels its customer chose, the customer found by the order's confirmation", async () => {
    const [phone, device] = [newPhone(), newDevice()];
    const customer = await customerWith(app, { channels: { email: false, sms: true, push: true }, phone, devices: [device] });
    const orderId = await confirm(app, customer);
    const refund = (amount: number, totalRefunded: number, paymentStatus: 'PARTIALLY_REFUNDED' | 'REFUNDED') =>
      new PaymentRefundedV1({
        orderId,
        paymentId: PAYMENT,
        refundId: newId(),
        amount: { amount, currency: 'EUR' },
        totalRefunded: { amount: totalRefunded, currency: 'EUR' },
        paymentStatus,
      });

    for (const refunded of [refund(599, 599, 'PARTIALLY_REFUNDED'), refund(2000, 2599, 'REFUNDED')]) {
      await app.publish(refunded, orderId);
    }

    // Sent side by side from the queue: in any order.
    await notificationsOf(app, customer, orderId, 6, (n) => n.status === 'SENT');
    const texts = (await providers.textsTo(phone)).map((text) => text.body).sort();
    expect(texts).toEqual([
      `20.00 EUR refunded for your order ${orderId}. Refunded in full.`,
      `5.99 EUR refunded for your order ${orderId}. Refunded so far: 5.99 EUR.`,
      `Your order ${orderId} is confirmed. 25.99 EUR authorized; we will tell you once it is paid.`,
    ]);
    const pushes = await providers.pushesTo(device);
    expect(pushes.map((push) => push.title).sort()).toEqual(['Order confirmed', 'Order refunded', 'Partial refund']);
    expect(pushes.filter((push) => push.title !== 'Order confirmed')).toEqual([
      expect.objectContaining({ data: { orderId, notice: 'payment-refunded' } }),
      expect.objectContaining({ data: { orderId, notice: 'payment-refunded' } }),
    ]);
    expect(smtp.to(customer.email)).toEqual([]);
  });

  it('sends nothing on a channel the customer turned off', async () => {
    const [phone, device] = [newPhone(), newDevice()];
    const customer = await customerWith(app, { channels: { email: false, sms: false, push: true }, phone, devices: [device] });

    const orderId = await confirm(app, customer);

    const notifications = await notificationsOf(app, customer, orderId, 1);
    expect(Object.keys(notifications)).toEqual(['push']);
    expect(await providers.pushesTo(device)).toHaveLength(1);
    expect(await providers.textsTo(phone)).toEqual([]);
    expect(smtp.to(customer.email)).toEqual([]);
  });

  it('retries SMS through an outage of the provider and texts once it is back, once', async () => {
    const phone = newPhone();
    const customer = await customerWith(app, { channels: { email: false, sms: true, push: false }, phone, devices: [] });
    await providers.behave({ provider: 'sms', failureRate: 1 });

    const orderId = await confirm(app, customer);

    const failing = await notificationsOf(app, customer, orderId, 1, (n) => n.attempts >= 2);
    expect(failing.sms).toMatchObject({ status: 'PENDING', lastError: expect.stringContaining('503 service_unavailable') });
    await providers.behave({ provider: 'sms', failureRate: 0 });
    const { sms } = await notificationsOf(app, customer, orderId, 1, (n) => n.status === 'SENT');
    expect(sms.attempts).toBeGreaterThan(2);
    expect(sms.lastError).toBeNull();
    expect(await providers.textsTo(phone)).toHaveLength(1);
  });

  it('fails at once a number no message reaches, into the dead letters', async () => {
    const customer = await customerWith(app, { channels: { email: false, sms: true, push: false }, phone: '+15005550009', devices: [] });

    const orderId = await confirm(app, customer);

    const { sms } = await notificationsOf(app, customer, orderId, 1);
    expect(sms).toMatchObject({ status: 'FAILED', attempts: 1, lastError: expect.stringContaining('unreachable_destination') });
    const { body: letters } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
    expect(letters.find((l: { messageId: string }) => l.messageId === sms.id)).toMatchObject({
      source: 'notifications:sms',
      type: 'notifications.sms.order-confirmed',
      attempts: 1,
    });
  });

  it('keeps SMS and push unsent, with the reason, for a customer who chose them without a phone or a device', async () => {
    const customer = await customerWith(app, { channels: { email: true, sms: true, push: true }, phone: null, devices: [] });

    const orderId = await confirm(app, customer);

    const { email, sms, push } = await notificationsOf(app, customer, orderId, 3);
    expect(email.status).toBe('SENT');
    expect(sms).toMatchObject({ status: 'NOT_SENT', statusReason: 'no phone number', recipient: null, attempts: 0 });
    expect(push).toMatchObject({ status: 'NOT_SENT', statusReason: 'no device', recipient: null, attempts: 0 });
  });

  it('texts again on a resend by staff, once per Idempotency-Key, and not on a channel turned off since', async () => {
    const phone = newPhone();
    const preferences = { channels: { email: false, sms: true, push: false }, phone, devices: [] };
    const customer = await customerWith(app, preferences);
    const orderId = await confirm(app, customer);
    const { sms } = await notificationsOf(app, customer, orderId, 1);
    const admin = await asAdmin(app);

    await admin.post(`/api/v1/notifications/${sms.id}/resend`).set('idempotency-key', `resend-${sms.id}`).expect(202);
    await admin.post(`/api/v1/notifications/${sms.id}/resend`).set('idempotency-key', `resend-${sms.id}`).expect(202);

    await notificationsOf(app, customer, orderId, 1, (n) => n.status === 'SENT');
    expect(await providers.textsTo(phone)).toHaveLength(2);
    await customer.http().put(PREFERENCES).send({ ...preferences, channels: { email: true, sms: false, push: false } }).expect(200);
    await admin.post(`/api/v1/notifications/${sms.id}/resend`).set('idempotency-key', `again-${sms.id}`).expect(409);
  });

  describe('preferences', () => {
    const chosen: Preferences = { channels: { email: false, sms: true, push: true }, phone: '+4915112345678', devices: ['fcm:abc-123', 'apns:0f1e2d'] };

    it('are e-mail only for a customer who never chose, and what the customer chose after', async () => {
      const customer = await newCustomer(app);
      const { body: defaults } = await customer.http().get(PREFERENCES).expect(200);
      expect(defaults).toEqual({ customerId: customer.id, channels: { email: true, sms: false, push: false }, phone: null, devices: [], updatedAt: null });

      const { body: saved } = await customer.http().put(PREFERENCES).send(chosen).expect(200);

      expect(saved).toEqual({ customerId: customer.id, ...chosen, updatedAt: expect.any(String) });
      expect((await customer.http().get(PREFERENCES).expect(200)).body).toEqual(saved);
    });

    /** The customer whose invalid changes the cases send, made once: each case checks nothing changed. */
    let refused: Customer;
    beforeAll(async () => {
      refused = await customerWith(app, chosen);
    });

    const tooMany = Array.from({ length: 11 }, (_, i) => `fcm:device-${i}`);
    it.each([
      ['the phone is not E.164', { ...chosen, phone: '0151 12345678' }, 'phone'],
      ['the phone starts with +0', { ...chosen, phone: '+0151234567' }, 'phone'],
      ['the phone has 16 digits', { ...chosen, phone: '+1234567890123456' }, 'phone'],
      ['the phone is a number', { ...chosen, phone: 4915112345678 }, 'phone'],
      ['the phone is missing', { channels: chosen.channels, devices: chosen.devices }, 'phone'],
      ['a device token has a space', { ...chosen, devices: ['fcm:abc 123'] }, 'devices'],
      ['a device token is longer than 512', { ...chosen, devices: ['a'.repeat(513)] }, 'devices'],
      ['there are 11 devices', { ...chosen, devices: tooMany }, 'devices'],
      ['a device is given twice', { ...chosen, devices: ['fcm:abc', 'fcm:abc'] }, 'devices'],
      ['a channel is not a boolean', { ...chosen, channels: { email: true, sms: 'yes', push: false } }, 'channels.sms'],
      ['a channel is missing', { ...chosen, channels: { email: true, sms: true } }, 'channels.push'],
      ['the channels are missing', { phone: chosen.phone, devices: [] }, 'channels'],
      ['a field is unknown', { ...chosen, email: 'ann@example.com' }, 'email'],
      ['a channel is unknown', { ...chosen, channels: { ...chosen.channels, fax: true } }, 'channels.fax'],
    ])('answer 400 naming the field, and change nothing, when %s', async (_case, body, field) => {
      const customer = refused;
      const before = (await customer.http().get(PREFERENCES).expect(200)).body;
      expect(before).toMatchObject(chosen);

      const response = await customer.http().put(PREFERENCES).send(body).expect(400);

      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect((await customer.http().get(PREFERENCES).expect(200)).body).toEqual(before);
    });

    it('refuse a body larger than 8 KiB before reading it', async () => {
      const customer = await newCustomer(app);
      await customer.http().put(PREFERENCES).send({ ...chosen, devices: ['a'.repeat(9000)] }).expect(413);
    });

    it("are a customer's own: another customer can neither read nor change them, a caller without a token has none", async () => {
      const owner = await customerWith(app, chosen);
      const stranger = await newCustomer(app);

      await stranger.http().get(`${PREFERENCES}/${owner.id}`).expect(403);
      await stranger.http().put(PREFERENCES).send({ ...chosen, phone: newPhone() }).expect(200);
      await app.http().get(PREFERENCES).expect(401);
      await app.http().put(PREFERENCES).send(chosen).expect(401);
      await app.http().get(`${PREFERENCES}/${owner.id}`).expect(401);

      expect((await owner.http().get(PREFERENCES).expect(200)).body).toMatchObject({ customerId: owner.id, phone: chosen.phone });
    });

    it("are for staff to read, any customer's", async () => {
      const owner = await customerWith(app, chosen);
      const admin = await asAdmin(app);

      expect((await admin.get(`${PREFERENCES}/${owner.id}`).expect(200)).body).toMatchObject({ customerId: owner.id, ...chosen });
      await admin.get(`${PREFERENCES}/a%20b`).expect(400);
    });
  });
});

describe('notifications by SMS and push without a provider', () => {
  let app: TestApp;

  beforeAll(async () => {
    // A provider for payments, so the process hosts no simulator that SMS and push would fall back to.
    app = await startTestApp({ PAYMENT_PROVIDER_URL: (await testProvider()).url, NOTIFICATION_POLL_MS: '100' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('renders them and keeps them unsent, naming the setting that is missing', async () => {
    const customer = await customerWith(app, { channels: { email: true, sms: true, push: true }, phone: newPhone(), devices: [newDevice()] });

    const orderId = await confirm(app, customer);

    const { email, sms, push } = await notificationsOf(app, customer, orderId, 3);
    expect(email).toMatchObject({ status: 'NOT_SENT', statusReason: 'no SMTP_URL' });
    expect(sms).toMatchObject({ status: 'NOT_SENT', statusReason: 'no SMS_PROVIDER_URL', attempts: 0, body: expect.stringContaining(orderId) });
    expect(push).toMatchObject({ status: 'NOT_SENT', statusReason: 'no PUSH_PROVIDER_URL', subject: 'Order confirmed' });
  });
});
