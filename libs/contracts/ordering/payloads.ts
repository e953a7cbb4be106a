import { customerIdSchema, MoneyV1, moneyV1Schema } from '../message';
import { arrayOf, object, oneOf, text, uuid } from '../schema';

/** As the ordering API accepts it: 1-100 letters, digits or ._@:- */

export interface OrderConfirmedV1Payload {
  orderId: string;
  customerId: string;
  total: MoneyV1;
}

export const orderConfirmedV1Schema = object<OrderConfirmedV1Payload>({
  orderId: uuid(),
  customerId: customerIdSchema,
  total: moneyV1Schema,
});

export interface OrderRejectedV1Payload {
  orderId: string;
  customerId: string;
  /** REJECTED: nothing was held; ROLLED_BACK: what was held has been given back. */
  status: 'REJECTED' | 'ROLLED_BACK';
  reasons: string[];
}

export const orderRejectedV1Schema = object<OrderRejectedV1Payload>({
  orderId: uuid(),
  customerId: customerIdSchema,
  status: oneOf('REJECTED', 'ROLLED_BACK'),
  reasons: arrayOf(text(1000), { maxItems: 50 }),
});
