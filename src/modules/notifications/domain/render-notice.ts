import { Money, NotificationTemplate, OrderNotice } from './notification';

/** What the templates of a notice show, formatted for people: the same in every channel. */
export type NoticeView =
  | { template: 'order-confirmed'; orderId: string; total: string }
  | { template: 'order-rejected'; orderId: string; reasons: string[] };

/** A notice rendered for its channel: e-mail has a subject, a plain-text body and an HTML one. */
export interface RenderedMessage {
  template: NotificationTemplate;
  subject: string;
  body: string;
  html: string;
}

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

/** `{ amount: 1999, currency: 'EUR' }` → `19.99 EUR`, exact for any integer amount. */
export function formatMoney({ amount, currency }: Money): string {
  const digits = minorUnitDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const units = Math.abs(amount).toString().padStart(digits + 1, '0');
  const major = units.slice(0, units.length - digits);
  const minor = units.slice(units.length - digits);
  return `${sign}${digits > 0 ? `${major}.${minor}` : major} ${currency}`;
}

/** `INSUFFICIENT_STOCK` → `insufficient stock`. */
function describeReason(reason: string): string {
  return reason.toLowerCase().replace(/_/g, ' ');
}

export function noticeView(notice: OrderNotice): NoticeView {
  switch (notice.kind) {
    case 'order-confirmed':
      return { template: notice.kind, orderId: notice.orderId, total: formatMoney(notice.total) };
    case 'order-rejected':
      return { template: notice.kind, orderId: notice.orderId, reasons: notice.reasons.map(describeReason) };
  }
}
