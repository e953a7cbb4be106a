import { defineMessage } from '../message';
import { OrderConfirmedV1Payload, orderConfirmedV1Schema } from './payloads';

/** Stock is committed and payment captured: the order will ship. */
export class OrderConfirmedV1 extends defineMessage<OrderConfirmedV1Payload>(
  {
    type: 'ordering.order.confirmed',
    version: 1,
    kind: 'event',
    context: 'ordering',
  },
  orderConfirmedV1Schema,
) {}
