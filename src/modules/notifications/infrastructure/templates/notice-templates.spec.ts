import { NoticeRenderer } from './notice-templates';
import { noticeRenderer } from '.';
import { formatMoney } from '../../../../../libs/money';
import { NoticeView, unknownProductName } from '../../domain/render-notice';

const ORDER = '0190b000-0000-7000-8000-0000000000aa';
const PRODUCT = '0190a000-0000-7000-8000-0000000000bb';

describe(NoticeRenderer.name, () => {
  it('confirms an order without lines with its id and total, in plain text and in HTML', () => {
    const message = noticeRenderer.render({ template: 'order-confirmed', orderId: ORDER, total: '69.98 EUR', lines: [] }, 'email');

    expect(message.subject).toBe('Your order is confirmed');
    expect(message.body).toBe(
      `Thank you for your order ${ORDER}.\n\nYour payment of 69.98 EUR is authorized; we will tell you once it is taken and your order is on its way.\n`,
    );
    expect(message.html).toContain(`<strong>${ORDER}</strong>`);
    expect(message.html).toContain('<strong>69.98 EUR</strong>');
    expect(message.html).not.toContain('<table>');
  });

  it("lists a confirmed order's lines with name, quantity, unit price and line total, then the order total", () => {
    const lines = [
      { name: 'Black T-shirt', quantity: 2, unitPrice: '19.99 EUR', lineTotal: '39.98 EUR' },
      { name: unknownProductName(PRODUCT), quantity: 1, unitPrice: '30.00 EUR', lineTotal: '30.00 EUR' },
    ];
    const message = noticeRenderer.render({ template: 'order-confirmed', orderId: ORDER, total: '69.98 EUR', lines }, 'email');

    expect(message.body).toBe(
      `Thank you for your order ${ORDER}.\n\n` +
        '2 x Black T-shirt at 19.99 EUR: 39.98 EUR\n' +
        `1 x Product ${PRODUCT} (name not available) at 30.00 EUR: 30.00 EUR\n` +
        'Total: 69.98 EUR\n\n' +
        'Your payment of 69.98 EUR is authorized; we will tell you once it is taken and your order is on its way.\n',
    );
    expect(message.html).toContain(
      '<tr><td>Black T-shirt</td><td align="right">2</td><td align="right">19.99 EUR</td><td align="right">39.98 EUR</td></tr>',
    );
    expect(message.html).toContain(`<tr><td>Product ${PRODUCT} (name not available)</td><td align="right">1</td>`);
    expect(message.html).toContain('<th align="left" colspan="3">Order total</th><th align="right">69.98 EUR</th>');
  });

  it("escapes a product's name in the HTML lines, and only there", () => {
    const name = '<script>alert("x")</script> & Co';
    const lines = [{ name, quantity: 1, unitPrice: '1.00 EUR', lineTotal: '1.00 EUR' }];
    const message = noticeRenderer.render({ template: 'order-confirmed', orderId: ORDER, total: '1.00 EUR', lines }, 'email');

    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</td>');
    expect(message.body).toContain(`1 x ${name} at 1.00 EUR`);
  });

  it('tells the customer their order is paid, with its id and the amount taken', () => {
    const view = { template: 'order-completed', orderId: ORDER, total: '69.98 EUR' } as const;
    const email = noticeRenderer.render(view, 'email');

    expect(email.subject).toBe('Your order is paid');
    expect(email.body).toBe(`Your payment of 69.98 EUR for order ${ORDER} has been taken.\n\nYour order is being prepared for shipping.\n`);
    expect(email.html).toContain(`<strong>69.98 EUR</strong> for order <strong>${ORDER}</strong>`);
    expect(noticeRenderer.render(view, 'sms').body).toBe(`Your order ${ORDER} is paid: 69.98 EUR taken. We are preparing it.`);
    expect(noticeRenderer.render(view, 'push')).toMatchObject({ subject: 'Order paid', body: expect.stringContaining(ORDER) });
  });

  it('tells the customer their order is cancelled, that nothing was charged, and why', () => {
    const view = { template: 'order-cancelled', orderId: ORDER, total: '69.98 EUR', reasons: ['payment: authorization expired'] } as const;
    const email = noticeRenderer.render(view, 'email');

    expect(email.subject).toBe('Your order has been cancelled');
    expect(email.body).toContain(`your order ${ORDER} has been cancelled because its payment could not be taken`);
    expect(email.body).toContain('Nothing was charged: the 69.98 EUR held on your payment method is released.');
    expect(email.body).toContain('Reasons: payment: authorization expired.');
    expect(email.html).toContain('<li>payment: authorization expired</li>');
    expect(noticeRenderer.render(view, 'sms').body).toContain('Nothing was charged.');
    expect(noticeRenderer.render(view, 'push').subject).toBe('Order cancelled');
  });

  it('tells of a partial refund with its amount and the total refunded so far', () => {
    const view = { template: 'payment-refunded', orderId: ORDER, amount: '30.00 EUR', totalRefunded: '30.00 EUR', fullyRefunded: false } as const;
    const email = noticeRenderer.render(view, 'email');

    expect(email.subject).toBe('Part of your order is refunded');
    expect(email.body).toContain(`We have refunded 30.00 EUR for your order ${ORDER}.`);
    expect(email.body).toContain('Refunded so far: 30.00 EUR; the rest of your payment stands.');
    expect(email.html).toContain('Refunded so far: <strong>30.00 EUR</strong>');
    expect(noticeRenderer.render(view, 'sms').body).toBe(`30.00 EUR refunded for your order ${ORDER}. Refunded so far: 30.00 EUR.`);
    expect(noticeRenderer.render(view, 'push').subject).toBe('Partial refund');
  });

  it('tells of the refund that completes a full refund', () => {
    const view = { template: 'payment-refunded', orderId: ORDER, amount: '39.98 EUR', totalRefunded: '69.98 EUR', fullyRefunded: true } as const;
    const email = noticeRenderer.render(view, 'email');

    expect(email.subject).toBe('Your order is refunded');
    expect(email.body).toContain(`We have refunded 39.98 EUR for your order ${ORDER}.`);
    expect(email.body).toContain('Your payment is now refunded in full: 69.98 EUR.');
    expect(email.html).toContain('refunded in full: <strong>69.98 EUR</strong>');
    expect(email.html).not.toContain('so far');
    expect(noticeRenderer.render(view, 'sms').body).toBe(`39.98 EUR refunded for your order ${ORDER}. Refunded in full.`);
    expect(noticeRenderer.render(view, 'push').subject).toBe('Order refunded');
  });

  it('lists every reason an order was rejected', () => {
    const message = noticeRenderer.render({ template: 'order-rejected', orderId: ORDER, reasons: ['insufficient stock', 'payment declined'] }, 'email');

    expect(message.subject).toBe('Your order could not be completed');
    expect(message.body).toContain(`your order ${ORDER} could not be completed`);
    expect(message.body).toContain('Reasons: insufficient stock, payment declined.');
    expect(message.html).toContain('<li>insufficient stock</li>');
    expect(message.html).toContain('<li>payment declined</li>');
  });

  it('leaves the reasons out when there are none', () => {
    const message = noticeRenderer.render({ template: 'order-rejected', orderId: ORDER, reasons: [] }, 'email');

    expect(message.body).not.toContain('Reasons');
    expect(message.html).not.toContain('Reasons');
  });

  it('escapes values in the HTML, and only there', () => {
    const reason = '<script>alert("x")</script> & more';
    const message = noticeRenderer.render({ template: 'order-rejected', orderId: ORDER, reasons: [reason] }, 'email');

    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(message.body).toContain(reason);
  });

  it('refuses to render a value the notice lacks rather than leave a gap', () => {
    const sources = { email: { subject: 'x', text: '{{missing}}', html: '' }, sms: { text: 'x' }, push: { title: 'x', body: 'x' } };
    const renderer = new NoticeRenderer({
      'order-confirmed': sources,
      'order-rejected': sources,
      'order-completed': sources,
      'order-cancelled': sources,
      'payment-refunded': sources,
    });

    expect(() => renderer.render({ template: 'order-completed', orderId: ORDER, total: '1.00 EUR' }, 'email')).toThrow(/missing/);
  });

  // The longest amount a message can carry: the contracts bound neither amount nor currency digits.
  const LONGEST_AMOUNT = formatMoney({ amount: Number.MAX_SAFE_INTEGER, currency: 'BHD' });
  const LONGEST = { orderId: ORDER, total: LONGEST_AMOUNT };
  const LONG_REASONS = ['insufficient stock', 'x'.repeat(1000)];
  const LONGEST_REFUND = { template: 'payment-refunded', orderId: ORDER, amount: LONGEST_AMOUNT, totalRefunded: LONGEST_AMOUNT } as const;

  it.each<[string, NoticeView]>([
    ['order-confirmed', { template: 'order-confirmed', ...LONGEST, lines: [{ name: 'x'.repeat(200), quantity: 1, unitPrice: LONGEST_AMOUNT, lineTotal: LONGEST_AMOUNT }] }],
    ['order-rejected', { template: 'order-rejected', orderId: ORDER, reasons: LONG_REASONS }],
    ['order-completed', { template: 'order-completed', ...LONGEST }],
    ['order-cancelled', { template: 'order-cancelled', ...LONGEST, reasons: LONG_REASONS }],
    ['payment-refunded (partly)', { ...LONGEST_REFUND, fullyRefunded: false }],
    ['payment-refunded (in full)', { ...LONGEST_REFUND, fullyRefunded: true }],
  ])('fits the %s text message, with the longest values, in one SMS of 160 characters', (_kind, view) => {
    const message = noticeRenderer.render(view, 'sms');

    expect(message.body).toContain(ORDER);
    expect(message.body.length).toBeLessThanOrEqual(160);
    // GSM-7's basic characters only: one outside it makes the message UCS-2, of 70 characters.
    expect(message.body).toMatch(/^[A-Za-z0-9 .,;:!?'"()+\-/@]+$/);
    expect(message).toMatchObject({ subject: '', html: '' });
  });

  it('confirms an order by SMS with its id and total, and by push with a title', () => {
    const view = { template: 'order-confirmed', orderId: ORDER, total: '69.98 EUR', lines: [] } as const;

    expect(noticeRenderer.render(view, 'sms').body).toBe(`Your order ${ORDER} is confirmed. 69.98 EUR authorized; we will tell you once it is paid.`);
    expect(noticeRenderer.render(view, 'push')).toEqual({
      template: 'order-confirmed',
      subject: 'Order confirmed',
      body: `Your order ${ORDER} is confirmed: 69.98 EUR authorized. We will tell you once it is paid.`,
      html: '',
    });
  });

  it('tells of a rejected order by push without escaping its text', () => {
    const message = noticeRenderer.render({ template: 'order-rejected', orderId: `<${ORDER}>`, reasons: [] }, 'push');

    expect(message.subject).toBe('Order not completed');
    expect(message.body).toContain(`<${ORDER}>`);
  });
});
