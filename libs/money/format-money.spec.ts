import { formatMoney } from './format-money';

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
