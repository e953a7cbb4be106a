import { Money, NotificationTemplate, OrderNotice } from './notification';

export interface RenderedMessage {
  template: NotificationTemplate;
  subject: string;
  body: string;
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

export function renderNotice(notice: OrderNotice): RenderedMessage {
  switch (notice.kind) {
    case 'order-confirmed':
      return {
        template: notice.kind,
        subject: 'Your order is confirmed',
        body:
          `Thank you for your order ${notice.orderId}. ` +
          `Your payment of ${formatMoney(notice.total)} has been taken and your order is being prepared.`,
      };
    case 'order-rejected': {
      const lines = [
        `We are sorry: your order ${notice.orderId} could not be completed and you have not been charged.`,
        ...(notice.reasons.length > 0 ? [`Reasons: ${notice.reasons.map(describeReason).join(', ')}.`] : []),
      ];
      return { template: notice.kind, subject: 'Your order could not be completed', body: lines.join('\n') };
    }
  }
}
