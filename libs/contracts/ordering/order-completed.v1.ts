import { defineMessage } from '../message';
import { OrderCompletedV1Payload, orderCompletedV1Schema } from './payloads';

/** A confirmed order's payment is captured and its stock committed: it is paid and will ship. */
export class OrderCompletedV1 extends defineMessage<OrderCompletedV1Payload>(
  {
    type: 'ordering.order.completed',
    version: 1,
    kind: 'event',
    context: 'ordering',
  },
  orderCompletedV1Schema,
) {}
