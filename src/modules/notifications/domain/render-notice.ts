import { formatMoney } from '../../../../libs/money';
import { NotificationTemplate, OrderLine, OrderNotice } from './notification';

/** A line of an order as the customer reads it. */
export interface LineView {
  /** The product's name, or a fallback naming its id while notifications does not know the name. */
  name: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
}

/** What the templates of a notice show, formatted for people: the same in every channel. */
export type NoticeView =
  /** `lines`: empty when the confirmation carried none. */
  | { template: 'order-confirmed'; orderId: string; total: string; lines: readonly LineView[] }
  | { template: 'order-rejected'; orderId: string; reasons: readonly string[] }
  | { template: 'order-completed'; orderId: string; total: string }
  | { template: 'order-cancelled'; orderId: string; total: string; reasons: readonly string[] }
  | { template: 'payment-refunded'; orderId: string; amount: string; totalRefunded: string; fullyRefunded: boolean };

/** A notice rendered for its channel: e-mail has a subject, a plain-text body and an HTML one. */
export interface RenderedMessage {
  template: NotificationTemplate;
  subject: string;
  body: string;
  html: string;
}

/** `INSUFFICIENT_STOCK` → `insufficient stock`, `payment: authorization_expired` → `payment: authorization expired`. */
function describeReason(reason: string): string {
  return reason.toLowerCase().replace(/_/g, ' ');
}

/** What a line shows in place of a product name notifications has not learnt (yet). */
export function unknownProductName(productId: string): string {
  return `Product ${productId} (name not available)`;
}

function lineView({ productId, quantity, unitPrice }: OrderLine, productNames: ReadonlyMap<string, string>): LineView {
  return {
    name: productNames.get(productId) ?? unknownProductName(productId),
    quantity,
    unitPrice: formatMoney(unitPrice),
    lineTotal: formatMoney({ amount: BigInt(unitPrice.amount) * BigInt(quantity), currency: unitPrice.currency }),
  };
}

/** The notice as its templates show it; `productNames` by product id, for an order's lines. */
export function noticeView(notice: OrderNotice, productNames: ReadonlyMap<string, string> = new Map()): NoticeView {
  switch (notice.kind) {
    case 'order-confirmed':
      return {
        template: notice.kind,
        orderId: notice.orderId,
        total: formatMoney(notice.total),
        lines: (notice.lines ?? []).map((line) => lineView(line, productNames)),
      };
    case 'order-rejected':
      return { template: notice.kind, orderId: notice.orderId, reasons: notice.reasons.map(describeReason) };
    case 'order-completed':
      return { template: notice.kind, orderId: notice.orderId, total: formatMoney(notice.total) };
    case 'order-cancelled':
      return { template: notice.kind, orderId: notice.orderId, total: formatMoney(notice.total), reasons: notice.reasons.map(describeReason) };
    case 'payment-refunded':
      return {
        template: notice.kind,
        orderId: notice.orderId,
        amount: formatMoney(notice.amount),
        totalRefunded: formatMoney(notice.totalRefunded),
        fullyRefunded: notice.fullyRefunded,
      };
  }
}
