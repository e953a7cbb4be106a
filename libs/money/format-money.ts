/** Digits after the decimal point of a currency (EUR 2, JPY 0, BHD 3). */
// Building an Intl.NumberFormat costs far more than using one: once per currency.
const minorUnitDigitsByCurrency = new Map<string, number>();

function minorUnitDigits(currency: string): number {
  let digits = minorUnitDigitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorUnitDigitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * `{ amount: 1999, currency: 'EUR' }` → `19.99 EUR`, exact for any integer amount (a bigint too:
 * a line's total can pass Number.MAX_SAFE_INTEGER).
 */
export function formatMoney({ amount, currency }: { amount: number | bigint; currency: string }): string {
  const digits = minorUnitDigits(currency);
  const value = BigInt(amount);
  const sign = value < 0n ? '-' : '';
  const units = (value < 0n ? -value : value).toString().padStart(digits + 1, '0');
  const major = units.slice(0, units.length - digits);
  const minor = units.slice(units.length - digits);
  return `${sign}${digits > 0 ? `${major}.${minor}` : major} ${currency}`;
}
