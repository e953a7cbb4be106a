import { defineMessage } from '../message';
import { OrderRejectedV1Payload, orderRejectedV1Schema } from './payloads';

/** The order ended without a sale; anything held for it is being released. */
export class OrderRejectedV1 extends defineMessage<OrderRejectedV1Payload>(
  {
    type: 'ordering.order.rejected',
    version: 1,
    kind: 'event',
    context: 'ordering',
  },
  orderRejectedV1Schema,
) {}
