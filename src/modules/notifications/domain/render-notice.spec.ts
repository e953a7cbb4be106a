import { formatMoney, renderNotice } from './render-notice';

const ORDER = '0190b000-0000-7000-8000-0000000000aa';

describe('formatMoney', () => {
  it.each([
    [{ amount: 1999, currency: 'EUR' }, '19.99 EUR'],
    [{ amount: 5, currency: 'EUR' }, '0.05 EUR'],
    [{ amount: 0, currency: 'USD' }, '0.00 USD'],
    [{ amount: 1200, currency: 'JPY' }, '1200 JPY'],
    [{ amount: 12345, currency: 'BHD' }, '12.345 BHD'],
    [{ amount: -250, currency: 'EUR' }, '-2.50 EUR'],
  ])('%j is %s', (money, text) => {
    expect(formatMoney(money)).toBe(text);
  });
});

describe('renderNotice', () => {
  it('confirms an order with its total in major units', () => {
    const message = renderNotice({
      kind: 'order-confirmed',
      orderId: ORDER,
      customerId: 'c-1',
      total: { amount: 6998, currency: 'EUR' },
    });
    expect(message.template).toBe('order-confirmed');
    expect(message.subject).toBe('Your order is confirmed');
    expect(message.body).toContain(ORDER);
    expect(message.body).toContain('69.98 EUR');
  });

  it('lists every reason an order was rejected', () => {
    const message = renderNotice({
      kind: 'order-rejected',
      orderId: ORDER,
      customerId: 'c-1',
      reasons: ['INSUFFICIENT_STOCK', 'PAYMENT_DECLINED'],
    });
    expect(message.template).toBe('order-rejected');
    expect(message.subject).toBe('Your order could not be completed');
    expect(message.body).toContain(ORDER);
    expect(message.body).toContain('insufficient stock, payment declined');
  });

  it('leaves the reasons out when there are none', () => {
    const message = renderNotice({ kind: 'order-rejected', orderId: ORDER, customerId: 'c-1', reasons: [] });
    expect(message.body).not.toContain('Reasons');
  });
});
