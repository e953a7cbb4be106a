import { defineMessage } from '../message';
import { OrderReservationV1, orderReservationV1Schema } from './payloads';

/** Turn an order's reservation into a sale: on-hand and reserved both drop. */
export class CommitReservationV1 extends defineMessage<OrderReservationV1>(
  {
    type: 'inventory.reservation.commit',
    version: 1,
    kind: 'command',
    context: 'inventory',
  },
  orderReservationV1Schema,
) {}
