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

/** PENDING exists only inside the transaction that sends; a committed notification was SENT. */
export type NotificationStatus = 'PENDING' | 'SENT';

export interface Notification {
  id: string;
  orderId: string;
  customerId: string;
  channel: NotificationChannel;
  template: NotificationTemplate;
  /** Address on the channel; unknown until customer contact details are available. */
  recipient: string | null;
  subject: string;
  body: string;
  status: NotificationStatus;
  createdAt: Date;
}
