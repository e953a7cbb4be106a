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

/** Where and how much a crypto payment's payer is to transfer. */
export interface PaymentTransferRequest {
  chainId: number;
  token: string;
  tokenAddress: string;
  receivingAddress: string;
  /** In the token's smallest unit, as a decimal string. */
  amount: string;
  expiresAt: string;
}

export type OrderEvent =
  | { type: 'OrderPlaced'; data: { customerId: string; lines: OrderLine[]; total: Money; paymentMethod: PaymentMethod } }
  | { type: 'StockReserved'; data: Record<string, never> }
  | { type: 'StockReservationRejected'; data: { reason: string } }
  | { type: 'PaymentAuthorized'; data: { paymentId: string } }
  | { type: 'PaymentDeclined'; data: { reason: string } }
  /** The provider was unavailable: payments retries by itself until `parkedUntil` (ISO 8601). */
  | { type: 'PaymentParked'; data: { parkedUntil: string } }
  /** The payer is asked for an on-chain transfer: payments settles the payment by itself once it has its confirmations, or at `expiresAt` (ISO 8601). */
  | { type: 'PaymentTransferRequested'; data: PaymentTransferRequest }
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
