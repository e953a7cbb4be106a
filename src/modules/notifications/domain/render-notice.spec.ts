import { noticeView } from './render-notice';

const ORDER = '0190b000-0000-7000-8000-0000000000aa';
const NAMED = '0190a000-0000-7000-8000-000000000001';
const UNNAMED = '0190a000-0000-7000-8000-000000000002';

describe('noticeView', () => {
  it('shows a confirmed order without lines with its total in major units', () => {
    expect(noticeView({ kind: 'order-confirmed', orderId: ORDER, customerId: 'c-1', total: { amount: 6998, currency: 'EUR' } })).toEqual({
      template: 'order-confirmed',
      orderId: ORDER,
      total: '69.98 EUR',
      lines: [],
    });
  });

  it("shows a confirmed order's lines by product name, and a product it has no name for by its id", () => {
    const view = noticeView(
      {
        kind: 'order-confirmed',
        orderId: ORDER,
        customerId: 'c-1',
        total: { amount: 6998, currency: 'EUR' },
        lines: [
          { productId: NAMED, quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } },
          { productId: UNNAMED, quantity: 1, unitPrice: { amount: 3000, currency: 'EUR' } },
        ],
      },
      new Map([[NAMED, 'Black T-shirt']]),
    );

    expect(view).toMatchObject({
      lines: [
        { name: 'Black T-shirt', quantity: 2, unitPrice: '19.99 EUR', lineTotal: '39.98 EUR' },
        { name: `Product ${UNNAMED} (name not available)`, quantity: 1, unitPrice: '30.00 EUR', lineTotal: '30.00 EUR' },
      ],
    });
  });

  it("computes a line's total exactly past Number.MAX_SAFE_INTEGER", () => {
    const view = noticeView({
      kind: 'order-confirmed',
      orderId: ORDER,
      customerId: 'c-1',
      total: { amount: 0, currency: 'EUR' },
      lines: [{ productId: NAMED, quantity: 2147483647, unitPrice: { amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' } }],
    });

    expect(view).toMatchObject({ lines: [{ lineTotal: '193428131048268653930741.77 EUR' }] });
  });

  it('words every reason an order was cancelled, with its total', () => {
    const view = noticeView({
      kind: 'order-cancelled',
      orderId: ORDER,
      customerId: 'c-1',
      total: { amount: 6998, currency: 'EUR' },
      reasons: ['payment: authorization_expired'],
    });
    expect(view).toEqual({ template: 'order-cancelled', orderId: ORDER, total: '69.98 EUR', reasons: ['payment: authorization expired'] });
  });

  it('shows a refund with its amount and the total refunded', () => {
    const view = noticeView({
      kind: 'payment-refunded',
      orderId: ORDER,
      refundId: '0190c000-0000-7000-8000-000000000001',
      amount: { amount: 3000, currency: 'EUR' },
      totalRefunded: { amount: 6998, currency: 'EUR' },
      fullyRefunded: true,
    });
    expect(view).toEqual({ template: 'payment-refunded', orderId: ORDER, amount: '30.00 EUR', totalRefunded: '69.98 EUR', fullyRefunded: true });
  });

  it('words every reason an order was rejected', () => {
    const view = noticeView({ kind: 'order-rejected', orderId: ORDER, customerId: 'c-1', reasons: ['INSUFFICIENT_STOCK', 'PAYMENT_DECLINED'] });
    expect(view).toEqual({ template: 'order-rejected', orderId: ORDER, reasons: ['insufficient stock', 'payment declined'] });
  });
});
