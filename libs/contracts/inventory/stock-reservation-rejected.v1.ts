import { defineMessage } from '../message';
import { StockReservationRejectedV1Payload, stockReservationRejectedV1Schema } from './payloads';

/** The order could not be reserved; nothing was reserved. */
export class StockReservationRejectedV1 extends defineMessage<StockReservationRejectedV1Payload>(
  {
    type: 'inventory.stock.reservation-rejected',
    version: 1,
    kind: 'event',
    context: 'inventory',
  },
  stockReservationRejectedV1Schema,
) {}
