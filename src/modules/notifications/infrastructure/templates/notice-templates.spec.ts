import { NoticeRenderer } from './notice-templates';
import { noticeRenderer } from '.';
import { formatMoney, NoticeView } from '../../domain/render-notice';

const ORDER = '0190b000-0000-7000-8000-0000000000aa';

describe(NoticeRenderer.name, () => {
  it('confirms an order with its id and total, in plain text and in HTML', () => {
    const message = noticeRenderer.render({ template: 'order-confirmed', orderId: ORDER, total: '69.98 EUR' }, 'email');

    expect(message.subject).toBe('Your order is confirmed');
    expect(message.body).toBe(
      `Thank you for your order ${ORDER}.\n\nYour payment of 69.98 EUR has been taken and your order is being prepared.\n`,
    );
    expect(message.html).toContain(`<strong>${ORDER}</strong>`);
    expect(message.html).toContain('<strong>69.98 EUR</strong>');
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
    const renderer = new NoticeRenderer({ 'order-confirmed': sources, 'order-rejected': sources });

    expect(() => renderer.render({ template: 'order-confirmed', orderId: ORDER, total: '1.00 EUR' }, 'email')).toThrow(/missing/);
  });

  // The longest total a confirmed order can have: the contract bounds neither amount nor currency digits.
  const LONGEST = { orderId: ORDER, total: formatMoney({ amount: Number.MAX_SAFE_INTEGER, currency: 'BHD' }) };

  it.each<[string, NoticeView]>([
    ['order-confirmed', { template: 'order-confirmed', ...LONGEST }],
    ['order-rejected', { template: 'order-rejected', orderId: ORDER, reasons: ['insufficient stock', 'x'.repeat(1000)] }],
  ])('fits the %s text message, with the longest values, in one SMS of 160 characters', (_kind, view) => {
    const message = noticeRenderer.render(view, 'sms');

    expect(message.body).toContain(ORDER);
    expect(message.body.length).toBeLessThanOrEqual(160);
    // GSM-7's basic characters only: one outside it makes the message UCS-2, of 70 characters.
    expect(message.body).toMatch(/^[A-Za-z0-9 .,;:!?'"()+\-/@]+$/);
    expect(message).toMatchObject({ subject: '', html: '' });
  });

  it('confirms an order by SMS with its id and total, and by push with a title', () => {
    const view = { template: 'order-confirmed', orderId: ORDER, total: '69.98 EUR' } as const;

    expect(noticeRenderer.render(view, 'sms').body).toBe(`Your order ${ORDER} is confirmed. 69.98 EUR paid; we are preparing it.`);
    expect(noticeRenderer.render(view, 'push')).toEqual({
      template: 'order-confirmed',
      subject: 'Order confirmed',
      body: `Your payment of 69.98 EUR has been taken and your order ${ORDER} is being prepared.`,
      html: '',
    });
  });

  it('tells of a rejected order by push without escaping its text', () => {
    const message = noticeRenderer.render({ template: 'order-rejected', orderId: `<${ORDER}>`, reasons: [] }, 'push');

    expect(message.subject).toBe('Order not completed');
    expect(message.body).toContain(`<${ORDER}>`);
  });
});
