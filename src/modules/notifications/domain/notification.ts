/** Money in integer minor units with an ISO 4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

/** Something that happened to a customer's order and that the customer is told about. */
export type OrderNotice =
  | { kind: 'order-confirmed'; orderId: string; customerId: string; total: Money }
  | { kind: 'order-rejected'; orderId: string; customerId: string; reasons: string[] };

export type NotificationTemplate = OrderNotice['kind'];

export type NotificationChannel = 'email';

/**
 * PENDING: queued, to be sent (again) at `nextAttemptAt`. SENT: the channel accepted it.
 * NOT_SENT: deliberately kept unsent, the reason in `statusReason` (no address, no mail server).
 * FAILED: refused for good or out of attempts; it is in the dead letters.
 */
export type NotificationStatus = 'PENDING' | 'SENT' | 'NOT_SENT' | 'FAILED';

/** Why a notification was kept without being sent: no address is known for its customer. */
export const NO_ADDRESS = 'no address';

export interface Notification {
  id: string;
  orderId: string;
  customerId: string;
  channel: NotificationChannel;
  template: NotificationTemplate;
  /** Address on the channel; null when the customer's is not known. */
  recipient: string | null;
  subject: string;
  /** Plain text. */
  body: string;
  /** The same message in HTML, sent beside the plain text. */
  html: string;
  status: NotificationStatus;
  statusReason: string | null;
  /** Sends tried so far. */
  attempts: number;
  lastError: string | null;
  /** When a PENDING notification is due; null once it is no longer pending. */
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
}
