import { customerIdSchema, MoneyV1, moneyV1Schema } from '../message';
import { object, oneOf, text, uuid } from '../schema';

export type PaymentMethodV1 = 'card' | 'paypal' | 'crypto';

/** An EVM address, 0x and 40 hex digits (checksummed or not). */
export const chainAddressV1Schema = text(42, { pattern: '^0x[0-9a-fA-F]{40}$' });
/** A token amount in its smallest unit, as a decimal string: a uint256 does not fit a JSON number. */
export const tokenAmountV1Schema = text(78, { pattern: '^[0-9]+$' });

export interface OrderPaymentV1 {
  orderId: string;
}

export const orderPaymentV1Schema = object<OrderPaymentV1>({ orderId: uuid() });

/** @deprecated Carries the token itself; AuthorizePaymentV2Payload carries it sealed for payments. */
export interface AuthorizePaymentV1Payload extends OrderPaymentV1 {
  amount: MoneyV1;
  method: PaymentMethodV1;
  /** Provider token of the payment instrument (e.g. `tok_visa`); never a card number. */
  token: string;
}

export const authorizePaymentV1Schema = object<AuthorizePaymentV1Payload>({
  orderId: uuid(),
  amount: moneyV1Schema,
  method: oneOf('card', 'paypal', 'crypto'),
  token: text(200),
});

export interface AuthorizePaymentV2Payload extends OrderPaymentV1 {
  /** The order's customer: whose payment it is, for the customer's own view of it. */
  customerId: string;
  amount: MoneyV1;
  method: PaymentMethodV1;
  /** The provider token sealed for payments (format: PAYMENT_METHOD_REF); opaque to everyone else. */
  paymentMethodRef: string;
  /**
   * ISO 8601 instant from which payments declines the request (`payment_method_expired`) instead
   * of using the token. A reference that does not open is declined `payment_method_unknown`.
   */
  paymentMethodRefExpiresAt: string;
}

// Bounds only: a malformed or expired reference is declined with its reason, not dead-lettered.
export const authorizePaymentV2Schema = object<AuthorizePaymentV2Payload>({
  orderId: uuid(),
  customerId: customerIdSchema,
  amount: moneyV1Schema,
  method: oneOf('card', 'paypal', 'crypto'),
  paymentMethodRef: text(2000),
  paymentMethodRefExpiresAt: text(40),
});

export interface PaymentAuthorizedV1Payload extends OrderPaymentV1 {
  paymentId: string;
  amount: MoneyV1;
}

export const paymentAuthorizedV1Schema = object<PaymentAuthorizedV1Payload>({
  orderId: uuid(),
  paymentId: uuid(),
  amount: moneyV1Schema,
});

export interface PaymentDeclinedV1Payload extends OrderPaymentV1 {
  reason: string;
}

export const paymentDeclinedV1Schema = object<PaymentDeclinedV1Payload>({ orderId: uuid(), reason: text(1000) });

export interface PaymentCaptureFailedV1Payload extends OrderPaymentV1 {
  paymentId: string;
  /** The provider's code for why it refused the capture for good, as `authorization_expired`. */
  reason: string;
}

export const paymentCaptureFailedV1Schema = object<PaymentCaptureFailedV1Payload>({ orderId: uuid(), paymentId: uuid(), reason: text(1000) });

export interface PaymentParkedV1Payload extends OrderPaymentV1 {
  /** ISO 8601 instant after which the parked authorization is declined if the provider is still unavailable. */
  parkedUntil: string;
}

export const paymentParkedV1Schema = object<PaymentParkedV1Payload>({ orderId: uuid(), parkedUntil: text(40) });
