import { formatMoney, noticeView } from './render-notice';

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

describe('noticeView', () => {
  it('shows a confirmed order with its total in major units', () => {
    expect(noticeView({ kind: 'order-confirmed', orderId: ORDER, customerId: 'c-1', total: { amount: 6998, currency: 'EUR' } })).toEqual({
      template: 'order-confirmed',
      orderId: ORDER,
      total: '69.98 EUR',
    });
  });

  it('words every reason an order was rejected', () => {
    const view = noticeView({ kind: 'order-rejected', orderId: ORDER, customerId: 'c-1', reasons: ['INSUFFICIENT_STOCK', 'PAYMENT_DECLINED'] });
    expect(view).toEqual({ template: 'order-rejected', orderId: ORDER, reasons: ['insufficient stock', 'payment declined'] });
  });
});
