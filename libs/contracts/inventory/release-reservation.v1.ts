import { defineMessage } from '../message';
import { OrderReservationV1, orderReservationV1Schema } from './payloads';

/** Give an order's reserved stock back. Idempotent; releasing before reserving blocks a later reservation. */
export class ReleaseReservationV1 extends defineMessage<OrderReservationV1>(
  {
    type: 'inventory.reservation.release',
    version: 1,
    kind: 'command',
    context: 'inventory',
  },
  orderReservationV1Schema,
) {}
