import { defineMessage } from '../message';
import { ReserveStockV1Payload, reserveStockV1Schema } from './payloads';

/** Reserve every line of an order, or none. Replied to with StockReservedV1 or StockReservationRejectedV1. */
export class ReserveStockV1 extends defineMessage<ReserveStockV1Payload>(
  {
    type: 'inventory.stock.reserve',
    version: 1,
    kind: 'command',
    context: 'inventory',
  },
  reserveStockV1Schema,
) {}
