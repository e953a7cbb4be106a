import { OrderLineV1, orderLineV1Schema } from '../message';
import { arrayOf, object, oneOf, uuid } from '../schema';

/** Lines of one order; far more than an order can hold (100), far fewer than would hurt a consumer. */
const MAX_LINES = 1000;

export interface OrderReservationV1 {
  orderId: string;
}

export const orderReservationV1Schema = object<OrderReservationV1>({ orderId: uuid() });

export interface ReserveStockV1Payload extends OrderReservationV1 {
  /** Reserved all-or-nothing. */
  lines: OrderLineV1[];
}

export const reserveStockV1Schema = object<ReserveStockV1Payload>({
  orderId: uuid(),
  lines: arrayOf(orderLineV1Schema, { minItems: 1, maxItems: MAX_LINES }),
});

export interface StockReservationRejectedV1Payload extends OrderReservationV1 {
  reason: 'INSUFFICIENT_STOCK' | 'UNKNOWN_PRODUCT' | 'RESERVATION_RELEASED';
  /** Products that could not be reserved. */
  productIds: string[];
}

export const stockReservationRejectedV1Schema = object<StockReservationRejectedV1Payload>({
  orderId: uuid(),
  reason: oneOf('INSUFFICIENT_STOCK', 'UNKNOWN_PRODUCT', 'RESERVATION_RELEASED'),
  productIds: arrayOf(uuid(), { maxItems: MAX_LINES }),
});
