import { OrderTotalTooLargeError } from './order.errors';
import { OrderLine } from './order-events';
import { MAX_ORDER_TOTAL, orderTotal } from './order-total';

const line = (amount: number, quantity: number): OrderLine => ({ productId: 'p', quantity, unitPrice: { amount, currency: 'EUR' } });

describe(orderTotal.name, () => {
  it('adds unit price × quantity over the lines', () => {
    expect(orderTotal([line(1999, 2), line(500, 1), line(0, 3)])).toBe(4498);
  });

  it('is exact up to the maximum, where floating point would not be', () => {
    // 999,999,999,999 × 1 + 1: every step is exact; the bound itself is accepted.
    expect(orderTotal([line(MAX_ORDER_TOTAL - 1, 1), line(1, 1)])).toBe(MAX_ORDER_TOTAL);
  });

  it('refuses one minor unit over the maximum', () => {
    expect(() => orderTotal([line(MAX_ORDER_TOTAL, 1), line(1, 1)])).toThrow(OrderTotalTooLargeError);
  });

  it('refuses a line whose own total is over the maximum', () => {
    expect(() => orderTotal([line(1_000_000_001, 1000)])).toThrow(OrderTotalTooLargeError);
  });

  it('refuses the largest order the API lets through, past 2^53, rather than rounding it', () => {
    // 100 lines of 1,000 units at the catalog's highest price: 10^17 minor units.
    const lines = Array.from({ length: 100 }, () => line(1_000_000_000_000, 1000));
    expect(() => orderTotal(lines)).toThrow(new OrderTotalTooLargeError(MAX_ORDER_TOTAL));
  });

  it('has a maximum that is an exact JSON number', () => {
    expect(Number.isSafeInteger(MAX_ORDER_TOTAL)).toBe(true);
  });

  it.each([
    ['a fractional price', line(9.99, 1)],
    ['a negative price', line(-1, 1)],
    ['a price past 2^53', line(2 ** 53 + 2, 1)],
    ['a zero quantity', line(100, 0)],
    ['a fractional quantity', line(100, 1.5)],
  ])('refuses %s as no amount of minor units', (_name, bad) => {
    expect(() => orderTotal([bad])).toThrow(RangeError);
  });
});
