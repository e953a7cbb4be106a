import { customerIdSchema, MoneyV1, moneyV1Schema } from '../message';
import { arrayOf, INT32_MAX, integer, object, oneOf, text, uuid } from '../schema';

/** As the ordering API accepts it: 1-100 letters, digits or ._@:- */

/** One line of an order as the customer bought it: the price is the one charged. */
export interface PricedOrderLineV1 {
  productId: string;
  quantity: number;
  unitPrice: MoneyV1;
}

export const pricedOrderLineV1Schema = object<PricedOrderLineV1>({
  productId: uuid(),
  quantity: integer(1, INT32_MAX),
  unitPrice: moneyV1Schema,
});

/** An order has at most this many lines (the ordering API's own bound). */
const MAX_ORDER_LINES = 100;

export interface OrderConfirmedV1Payload {
  orderId: string;
  customerId: string;
  total: MoneyV1;
  /** Added later: absent on confirmations sent before it was. */
  lines?: PricedOrderLineV1[];
}

export const orderConfirmedV1Schema = object<OrderConfirmedV1Payload>(
  {
    orderId: uuid(),
    customerId: customerIdSchema,
    total: moneyV1Schema,
    lines: arrayOf(pricedOrderLineV1Schema, { minItems: 1, maxItems: MAX_ORDER_LINES }),
  },
  ['lines'],
);

export interface OrderCompletedV1Payload {
  orderId: string;
  customerId: string;
  /** What was captured. */
  total: MoneyV1;
}

export const orderCompletedV1Schema = object<OrderCompletedV1Payload>({
  orderId: uuid(),
  customerId: customerIdSchema,
  total: moneyV1Schema,
});

export interface OrderCancelledV1Payload {
  orderId: string;
  customerId: string;
  total: MoneyV1;
  reasons: string[];
}

export const orderCancelledV1Schema = object<OrderCancelledV1Payload>({
  orderId: uuid(),
  customerId: customerIdSchema,
  total: moneyV1Schema,
  reasons: arrayOf(text(1000), { maxItems: 50 }),
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
