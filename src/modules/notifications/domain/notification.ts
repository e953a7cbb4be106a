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
 * PENDING exists only inside the transaction that sends; a committed notification was SENT,
 * or NOT_SENT with the reason in `statusReason` (e.g. the customer's address is unknown).
 */
export type NotificationStatus = 'PENDING' | 'SENT' | 'NOT_SENT';

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
  body: string;
  status: NotificationStatus;
  statusReason: string | null;
  createdAt: Date;
}
