import { defineMessage } from '../message';
import { OrderReservationV1, orderReservationV1Schema } from './payloads';

/** The order's reservation was released (or blocked before it existed). */
export class ReservationReleasedV1 extends defineMessage<OrderReservationV1>(
  {
    type: 'inventory.reservation.released',
    version: 1,
    kind: 'event',
    context: 'inventory',
  },
  orderReservationV1Schema,
) {}
