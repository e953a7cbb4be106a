import { defineMessage } from '../message';
import { OrderReservationV1, orderReservationV1Schema } from './payloads';

/** Every line of the order is reserved. */
export class StockReservedV1 extends defineMessage<OrderReservationV1>(
  {
    type: 'inventory.stock.reserved',
    version: 1,
    kind: 'event',
    context: 'inventory',
  },
  orderReservationV1Schema,
) {}
