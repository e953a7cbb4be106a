import { randomUUID } from 'node:crypto';
import { ParsedMail } from 'mailparser';
import { OrderConfirmedV1, PricedOrderLineV1 } from '../../libs/contracts/ordering';
import { PaymentRefundedV1 } from '../../libs/contracts/payments';
import { IntegrationMessage } from '../../libs/contracts';
import { newId } from '../../libs/persistence';
import { asAdmin, Customer, newCustomer } from '../support/auth';
import { catalogProduct, finalOrder, paymentOf, placeOrder, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { SmtpCatcher } from './smtp-catcher';

const EUR = (amount: number) => ({ amount, currency: 'EUR' });
const DEAD_LETTER_ATTEMPTS = 3;

/** What customers are told of their orders after the confirmation: paid, cancelled, refunded; and the confirmation's lines. */
describe('order notices', () => {
  let smtp: SmtpCatcher;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    app = await startTestApp({
      SMTP_URL: smtp.url,
      NOTIFICATION_POLL_MS: '100',
      MESSAGE_MAX_ATTEMPTS: String(DEAD_LETTER_ATTEMPTS),
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

  function publish(message: IntegrationMessage, orderId: string): Promise<void> {
    return app.publish(message, orderId);
  }

  /** The one e-mail to the customer with this subject, once it arrived. */
  function mailTo(customer: Customer, subject: string): Promise<ParsedMail> {
    return app.eventually(() => {
      const mails = smtp.to(customer.email).filter((mail) => mail.subject === subject);
      expect(mails).toHaveLength(1);
      return Promise.resolve(mails[0]);
    });
  }

  async function confirmed(customer: Customer, total: number, lines?: PricedOrderLineV1[]): Promise<string> {
    const orderId = newId();
    await publish(new OrderConfirmedV1({ orderId, customerId: customer.id, total: EUR(total), lines }), orderId);
    return orderId;
  }

  /** A product named `name` with stock, known to ordering and to notifications when this resolves. */
  async function namedProduct(name: string, price: number): Promise<string> {
    const productId = await stockedProduct(app, 100, price);
    await (await asAdmin(app)).patch(`/api/v1/products/${productId}`).send({ name }).expect(200);
    await app.drained();
    return productId;
  }

  it("e-mails the confirmation of a placed order with its lines by name, then that the order is paid, with its id and the amount taken", async () => {
    const customer = await knownCustomer();
    const lamp = await namedProduct('Desk lamp', 2999);
    const mug = await namedProduct('Blue mug', 750);

    const orderId = await placeOrder(app, [{ productId: lamp, quantity: 2 }, { productId: mug, quantity: 1 }], 'tok_visa', customer);

    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    const confirmation = await mailTo(customer, 'Your order is confirmed');
    expect(confirmation.text).toContain(`Thank you for your order ${orderId}.`);
    expect(confirmation.text).toContain(['2 x Desk lamp at 29.99 EUR: 59.98 EUR', '1 x Blue mug at 7.50 EUR: 7.50 EUR', 'Total: 67.48 EUR'].join('\n'));
    expect(confirmation.html).toContain('<td>Desk lamp</td><td align="right">2</td><td align="right">29.99 EUR</td><td align="right">59.98 EUR</td>');
    const paid = await mailTo(customer, 'Your order is paid');
    expect(paid.text).toContain(`Your payment of 67.48 EUR for order ${orderId} has been taken.`);
    expect(paid.html).toContain(`<strong>67.48 EUR</strong> for order <strong>${orderId}</strong>`);
  });

  it('e-mails the customer that their confirmed order is cancelled when its capture is declined: nothing charged, and why', async () => {
    const customer = await knownCustomer();
    const productId = await stockedProduct(app, 10, 1250);

    const orderId = await placeOrder(app, [{ productId, quantity: 2 }], 'tok_captureDeclined', customer);

    expect((await finalOrder(app, orderId)).status).toBe('CANCELLED');
    const mail = await mailTo(customer, 'Your order has been cancelled');
    expect(mail.text).toContain(`your order ${orderId} has been cancelled because its payment could not be taken`);
    expect(mail.text).toContain('Nothing was charged: the 25.00 EUR held on your payment method is released.');
    expect(mail.text).toContain('Reasons: payment: capture declined.');
    expect(mail.html).toContain('<li>payment: capture declined</li>');
    await app.drained();
    expect(smtp.to(customer.email).map((sent) => sent.subject).sort()).toEqual(['Your order has been cancelled', 'Your order is confirmed']);
  });

  it("escapes product names in the confirmation's HTML, and names a product it does not know by its id", async () => {
    const customer = await knownCustomer();
    const lamp = await catalogProduct(app, 2999);
    await (await asAdmin(app)).patch(`/api/v1/products/${lamp}`).send({ name: 'Desk lamp <script>alert(1)</script>' }).expect(200);
    const unknown = newId();
    await app.drained();

    await confirmed(customer, 5998 + 1000, [
      { productId: lamp, quantity: 2, unitPrice: EUR(2999) },
      { productId: unknown, quantity: 4, unitPrice: EUR(250) },
    ]);

    const mail = await mailTo(customer, 'Your order is confirmed');
    expect(mail.text).toContain(
      [
        '2 x Desk lamp <script>alert(1)</script> at 29.99 EUR: 59.98 EUR',
        `4 x Product ${unknown} (name not available) at 2.50 EUR: 10.00 EUR`,
        'Total: 69.98 EUR',
      ].join('\n'),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<td>Desk lamp &lt;script&gt;alert(1)&lt;/script&gt;</td><td align="right">2</td>');
    expect(mail.html).toContain(`<td>Product ${unknown} (name not available)</td><td align="right">4</td>`);
    expect(mail.html).toContain('<th align="right">69.98 EUR</th>');
  });

  it('tells of each refund of a paid order, partial then full, with its amount and the total refunded', async () => {
    const customer = await knownCustomer();
    const productId = await stockedProduct(app, 10, 1000);
    const orderId = await placeOrder(app, [{ productId, quantity: 3 }], 'tok_visa', customer);
    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    const paymentId = await app.eventually(async () => {
      const payment = await paymentOf(app, orderId);
      expect(payment.status).toBe('CAPTURED');
      return payment.id as string;
    });
    const refund = async (amount: number) =>
      (await asAdmin(app)).post(`/api/v1/payments/${paymentId}/refunds`).set('idempotency-key', randomUUID()).send({ amount }).expect(201);

    await refund(1000);
    const partial = await mailTo(customer, 'Part of your order is refunded');
    expect(partial.text).toContain(`We have refunded 10.00 EUR for your order ${orderId}.`);
    expect(partial.text).toContain('Refunded so far: 10.00 EUR; the rest of your payment stands.');

    await refund(2000);
    const full = await mailTo(customer, 'Your order is refunded');
    expect(full.text).toContain(`We have refunded 20.00 EUR for your order ${orderId}.`);
    expect(full.text).toContain('Your payment is now refunded in full: 30.00 EUR.');
    const { body } = await customer.http().get('/api/v1/notifications').query({ orderId }).expect(200);
    expect(body.items.filter((n: { template: string }) => n.template === 'payment-refunded')).toHaveLength(2);
  });

  it('tells of a refund once however often its event is delivered', async () => {
    const customer = await knownCustomer();
    const orderId = await confirmed(customer, 3000);
    // Split, confirmations and refunds travel on different topics: only once the confirmation is handled is the order's customer known.
    await mailTo(customer, 'Your order is confirmed');
    const refunded = new PaymentRefundedV1({
      orderId,
      paymentId: newId(),
      refundId: newId(),
      amount: EUR(500),
      totalRefunded: EUR(500),
      paymentStatus: 'PARTIALLY_REFUNDED',
    });

    for (let i = 0; i < 3; i++) await publish(refunded, orderId);

    await mailTo(customer, 'Part of your order is refunded');
    await app.drained();
    expect(smtp.to(customer.email).filter((mail) => mail.subject === 'Part of your order is refunded')).toHaveLength(1);
  });

  it('dead-letters a refund of an order it never heard of, saying its customer is unknown', async () => {
    const orderId = newId();
    await publish(
      new PaymentRefundedV1({ orderId, paymentId: newId(), refundId: newId(), amount: EUR(500), totalRefunded: EUR(500), paymentStatus: 'PARTIALLY_REFUNDED' }),
      orderId,
    );

    const letter = await app.eventually(async () => {
      const { body } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
      const found = body.find((l: { type: string; envelope: { aggregateId: string } }) => l.type === 'payments.payment.refunded' && l.envelope.aggregateId === orderId);
      if (!found) throw new Error('not dead-lettered yet');
      return found;
    });
    expect(letter).toMatchObject({ attempts: DEAD_LETTER_ATTEMPTS, consumers: ['notifications/payments.payment.refunded@1'] });
    expect(letter.error).toContain(`no payment-refunded notice for order ${orderId}: its customer is unknown`);
    const [{ n }] = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM notifications.notification WHERE order_id = $1', [orderId]);
    expect(n).toBe(0);
  });
});
