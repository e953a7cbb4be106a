/** The order's own history: private to ordering, mapped to contracts at the edge. */
export interface Money {
  amount: number;
  currency: string;
}

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPrice: Money;
}

export type PaymentMethod = 'card' | 'paypal' | 'crypto';

export type OrderEvent =
  | { type: 'OrderPlaced'; data: { customerId: string; lines: OrderLine[]; total: Money; paymentMethod: PaymentMethod } }
  | { type: 'StockReserved'; data: Record<string, never> }
  | { type: 'StockReservationRejected'; data: { reason: string } }
  | { type: 'PaymentAuthorized'; data: { paymentId: string } }
  | { type: 'PaymentDeclined'; data: { reason: string } }
  /** The provider was unavailable: payments retries by itself until `parkedUntil` (ISO 8601). */
  | { type: 'PaymentParked'; data: { parkedUntil: string } }
  | { type: 'OrderConfirmed'; data: Record<string, never> }
  | { type: 'OrderRejected'; data: { reasons: string[] } }
  | { type: 'OrderRolledBack'; data: { reasons: string[] } }
  | { type: 'PaymentCaptured'; data: Record<string, never> }
  | { type: 'StockCommitted'; data: Record<string, never> }
  | { type: 'PaymentCaptureFailed'; data: { reason: string } }
  | { type: 'OrderCompleted'; data: Record<string, never> }
  | { type: 'OrderCancelled'; data: { reasons: string[] } };

export type OrderEventType = OrderEvent['type'];

export interface RecordedOrderEvent<E extends OrderEvent = OrderEvent> {
  orderId: string;
  version: number;
  occurredAt: Date;
  event: E;
}
