/** Money in integer minor units with an ISO 4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

/** A line of an order as bought: `unitPrice` is what was charged for one. */
export interface OrderLine {
  productId: string;
  quantity: number;
  unitPrice: Money;
}

/** Something that happened to a customer's order and that the customer is told about. */
export type OrderNotice =
  /** `lines`: absent on confirmations sent before they carried them. */
  | { kind: 'order-confirmed'; orderId: string; customerId: string; total: Money; lines?: readonly OrderLine[] }
  | { kind: 'order-rejected'; orderId: string; customerId: string; reasons: string[] }
  | { kind: 'order-completed'; orderId: string; customerId: string; total: Money }
  | { kind: 'order-cancelled'; orderId: string; customerId: string; total: Money; reasons: string[] }
  /**
   * A refund's event does not name the customer: they are the one notifications recorded for the
   * order. Each refund of an order is a notice of its own (`refundId`).
   */
  | { kind: 'payment-refunded'; orderId: string; refundId: string; amount: Money; totalRefunded: Money; fullyRefunded: boolean };

export type NotificationTemplate = OrderNotice['kind'];

/** Every kind of notice, as each notification names its template. */
export const NOTIFICATION_TEMPLATES = [
  'order-confirmed',
  'order-rejected',
  'order-completed',
  'order-cancelled',
  'payment-refunded',
] as const satisfies readonly NotificationTemplate[];

/** The ways a customer can be told: e-mail, a text message to their phone, a push to their app's devices. */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * PENDING: queued, to be sent (again) at `nextAttemptAt`. SENT: the channel accepted it.
 * NOT_SENT: deliberately kept unsent, the reason in `statusReason` (no address, no mail server).
 * FAILED: refused for good or out of attempts; it is in the dead letters.
 */
export type NotificationStatus = 'PENDING' | 'SENT' | 'NOT_SENT' | 'FAILED';

/** Why a notification was kept without being sent: its customer has no address on its channel. */
export const NO_RECIPIENT: Readonly<Record<NotificationChannel, string>> = {
  email: 'no address',
  sms: 'no phone number',
  push: 'no device',
};

export interface Notification {
  id: string;
  orderId: string;
  customerId: string;
  channel: NotificationChannel;
  template: NotificationTemplate;
  /**
   * Address on the channel: an e-mail address, an E.164 phone number, or the push device tokens
   * separated by spaces; null when the customer has none.
   */
  recipient: string | null;
  /** The e-mail's subject or the push's title; empty for an SMS. */
  subject: string;
  /** Plain text. */
  body: string;
  /** The e-mail in HTML, sent beside the plain text; empty on the other channels. */
  html: string;
  status: NotificationStatus;
  statusReason: string | null;
  /** Sends tried so far. */
  attempts: number;
  /** Times staff had it sent again: each resend is a new delivery, each retry of one is not. */
  resends: number;
  lastError: string | null;
  /** When a PENDING notification is due; null once it is no longer pending. */
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
}
