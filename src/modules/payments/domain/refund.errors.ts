import { PaymentStatus } from './payment';

/** No payment has the id, or the caller may not see it. */
export class PaymentNotFoundError extends Error {
  readonly code = 'PAYMENTS.PAYMENT_NOT_FOUND';

  constructor(paymentId: string) {
    super(`payment ${paymentId} does not exist`);
  }
}

/** Only a captured payment has money to give back. */
export class PaymentNotCapturedError extends Error {
  readonly code = 'PAYMENTS.PAYMENT_NOT_CAPTURED';

  constructor(paymentId: string, status: PaymentStatus) {
    super(`payment ${paymentId} is ${status}: only a captured payment can be refunded`);
  }
}

/** The amount is more than the capture less what refunds succeeded or under way already hold. */
export class RefundExceedsRefundableError extends Error {
  readonly code = 'PAYMENTS.REFUND_EXCEEDS_REFUNDABLE';

  constructor(paymentId: string, refundable: number) {
    super(`the refund's amount is more than the ${refundable} minor units of payment ${paymentId} that remain refundable`);
  }
}

/** An `Idempotency-Key` sent again for the payment with another amount or reason. */
export class RefundKeyReusedError extends Error {
  readonly code = 'PAYMENTS.IDEMPOTENCY_KEY_REUSED';

  constructor(paymentId: string) {
    super(`the Idempotency-Key was used for another refund of payment ${paymentId}; use a new key for a new refund`);
  }
}

/** The provider refused the refund for good: it is FAILED, its amount released, nothing was refunded. */
export class RefundRefusedError extends Error {
  readonly code = 'PAYMENTS.REFUND_REFUSED';

  constructor(refundId: string, providerCode: string) {
    super(`the card provider refused refund ${refundId} (${providerCode}); nothing was refunded`);
  }
}

/** The provider did not answer: the refund stays PENDING, holding its amount, until it is asked again. */
export class RefundPendingError extends Error {
  readonly code = 'PAYMENTS.REFUND_PENDING';

  constructor(refundId: string) {
    super(
      `the card provider did not answer for refund ${refundId}; it is PENDING: send the request again with the same ` +
        'Idempotency-Key, or it is asked again within a minute',
    );
  }
}
