import { defineMessage } from '../message';
import { OrderConfirmedV1Payload, orderConfirmedV1Schema } from './payloads';

/** Stock is reserved and payment authorized: the order is accepted; capture and stock commit follow (OrderCompletedV1). */
export class OrderConfirmedV1 extends defineMessage<OrderConfirmedV1Payload>(
  {
    type: 'ordering.order.confirmed',
    version: 1,
    kind: 'event',
    context: 'ordering',
  },
  orderConfirmedV1Schema,
) {}
