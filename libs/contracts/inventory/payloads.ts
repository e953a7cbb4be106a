import { OrderLineV1 } from '../message';

export interface OrderReservationV1 {
  orderId: string;
}

export interface ReserveStockV1Payload extends OrderReservationV1 {
  /** Reserved all-or-nothing. */
  lines: OrderLineV1[];
}

export interface StockReservationRejectedV1Payload extends OrderReservationV1 {
  reason: 'INSUFFICIENT_STOCK' | 'UNKNOWN_PRODUCT' | 'RESERVATION_RELEASED';
  /** Products that could not be reserved. */
  productIds: string[];
}
