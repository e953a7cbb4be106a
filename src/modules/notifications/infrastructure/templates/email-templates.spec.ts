import { EmailRenderer } from './email-templates';
import { emailRenderer } from '.';

const ORDER = '0190b000-0000-7000-8000-0000000000aa';

describe(EmailRenderer.name, () => {
  it('confirms an order with its id and total, in plain text and in HTML', () => {
    const message = emailRenderer.render({ template: 'order-confirmed', orderId: ORDER, total: '69.98 EUR' });

    expect(message.subject).toBe('Your order is confirmed');
    expect(message.body).toBe(
      `Thank you for your order ${ORDER}.\n\nYour payment of 69.98 EUR has been taken and your order is being prepared.\n`,
    );
    expect(message.html).toContain(`<strong>${ORDER}</strong>`);
    expect(message.html).toContain('<strong>69.98 EUR</strong>');
  });

  it('lists every reason an order was rejected', () => {
    const message = emailRenderer.render({ template: 'order-rejected', orderId: ORDER, reasons: ['insufficient stock', 'payment declined'] });

    expect(message.subject).toBe('Your order could not be completed');
    expect(message.body).toContain(`your order ${ORDER} could not be completed`);
    expect(message.body).toContain('Reasons: insufficient stock, payment declined.');
    expect(message.html).toContain('<li>insufficient stock</li>');
    expect(message.html).toContain('<li>payment declined</li>');
  });

  it('leaves the reasons out when there are none', () => {
    const message = emailRenderer.render({ template: 'order-rejected', orderId: ORDER, reasons: [] });

    expect(message.body).not.toContain('Reasons');
    expect(message.html).not.toContain('Reasons');
  });

  it('escapes values in the HTML, and only there', () => {
    const reason = '<script>alert("x")</script> & more';
    const message = emailRenderer.render({ template: 'order-rejected', orderId: ORDER, reasons: [reason] });

    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(message.body).toContain(reason);
  });

  it('refuses to render a value the notice lacks rather than leave a gap', () => {
    const renderer = new EmailRenderer({
      'order-confirmed': { subject: 'x', text: '{{missing}}', html: '' },
      'order-rejected': { subject: 'x', text: '', html: '' },
    });

    expect(() => renderer.render({ template: 'order-confirmed', orderId: ORDER, total: '1.00 EUR' })).toThrow(/missing/);
  });
});
