import { defineMessage } from '../message';
import { OrderReservationV1, orderReservationV1Schema } from './payloads';

/** The order's reserved stock left the warehouse. */
export class ReservationCommittedV1 extends defineMessage<OrderReservationV1>(
  {
    type: 'inventory.reservation.committed',
    version: 1,
    kind: 'event',
    context: 'inventory',
  },
  orderReservationV1Schema,
) {}
