/** An amount in minor units (cents) with its ISO 4217 currency, as the API writes money. */
export interface Money {
  amount: number;
  currency: string;
}

/** Digits after the point of a currency's amounts (2 for EUR, 0 for JPY): prices travel in minor units. */
export function fractionDigitsOf(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function money({ amount, currency }: Money): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 10 ** fractionDigitsOf(currency));
}

/** "24.99" in EUR → 2499; undefined for anything but a plain non-negative amount with at most the currency's digits. */
export function minorUnitsOf(text: string, currency: string): number | undefined {
  const digits = fractionDigitsOf(currency);
  const match = new RegExp(`^(\\d{1,9})(?:\\.(\\d{1,${Math.max(digits, 1)}}))?$`).exec(text.trim());
  if (!match || (digits === 0 && match[2] !== undefined)) return undefined;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0'));
}

export function majorUnitsOf(amount: number, currency: string): string {
  return (amount / 10 ** fractionDigitsOf(currency)).toFixed(fractionDigitsOf(currency));
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function time(date: Date): string {
  return date.toLocaleTimeString(undefined, { timeStyle: 'medium' });
}

/** "+210 ms", "+4.2 s", "+3 min" after `since`. */
export function offset(iso: string, sinceIso: string): string {
  const ms = new Date(iso).getTime() - new Date(sinceIso).getTime();
  if (ms < 1000) return `+${ms} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`;
  return `+${Math.round(ms / 60_000)} min`;
}
