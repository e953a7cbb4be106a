import { defineMessage } from '../message';
import { OrderCancelledV1Payload, orderCancelledV1Schema } from './payloads';

/**
 * A confirmed order could not be completed (its payment could not be captured): its stock is
 * being returned and its authorization released; nothing was charged.
 */
export class OrderCancelledV1 extends defineMessage<OrderCancelledV1Payload>(
  {
    type: 'ordering.order.cancelled',
    version: 1,
    kind: 'event',
    context: 'ordering',
  },
  orderCancelledV1Schema,
) {}
