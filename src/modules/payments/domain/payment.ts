export const PAYMENT_STATUSES = ['PENDING', 'AUTHORIZED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'DECLINED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Statuses of a payment whose amount was captured: refunds take back part or all of it. */
const CAPTURED_STATUSES: readonly PaymentStatus[] = ['CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

export const PAYMENT_PROVIDER_NAMES = ['card', 'paypal', 'crypto'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDER_NAMES)[number];

/** The provider that takes the payments of each method (AuthorizePaymentV2's `method`). */
const PROVIDER_OF_METHOD: Readonly<Record<string, PaymentProviderName>> = { card: 'card', paypal: 'paypal', crypto: 'crypto' };

/** Integer minor units with an ISO 4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

/** Why an authorization was refused, as told to the order. */
export const DECLINE_REASON = {
  /** The order voided the payment before the authorization request arrived. */
  voided: 'voided',
  /** The provider kept failing until the retries ran out. */
  processingError: 'processing_error',
  /** The sealed payment method had expired before the provider could be asked. */
  paymentMethodExpired: 'payment_method_expired',
  /** The sealed payment method does not open here: malformed, altered, or sealed for another key or order. */
  paymentMethodUnknown: 'payment_method_unknown',
} as const;

export interface PaymentState {
  id: string;
  orderId: string;
  /** The order's customer, as the authorization request named it; unknown for a tombstone or an older request. */
  customerId: string | null;
  status: PaymentStatus;
  /** Absent on a tombstone: a void that arrived before any authorization request. */
  amount: Money | null;
  method: string | null;
  /** Where it was authorized, chosen by its method; every later call goes there. Null on a tombstone. */
  provider: PaymentProviderName | null;
  /** Calls made to the provider for this payment, retries included. */
  attempts: number;
  /** Set when DECLINED. */
  declineReason: string | null;
  providerRef: string | null;
}

/** What the provider did for one authorization request, after retries. */
export type ProviderOutcome =
  | { kind: 'approved'; reference: string }
  | { kind: 'declined'; reason: string }
  | { kind: 'failed' }
  | { kind: 'timed-out' };

/** The answer an authorization request gets from the payment as it stands. */
export type AuthorizationAnswer =
  | { kind: 'ask-provider' }
  | { kind: 'authorized' }
  | { kind: 'declined'; reason: string };

/** What a provider outcome did to the payment. */
export type Settlement =
  | { kind: 'authorized' }
  | { kind: 'declined'; reason: string }
  /** No answer in time: the payment waits for the order to void it. */
  | { kind: 'still-pending' }
  /** Approved after the order voided the payment: the authorization is released at once. */
  | { kind: 'authorized-after-void' }
  /** Another request for the same order settled the payment first and answered already. */
  | { kind: 'already-settled' };

export type VoidResult = 'voided' | 'already-voided' | 'nothing-held' | 'already-captured';
export type CaptureResult = 'captured' | 'already-captured' | 'not-authorized';

/** Whether a refund of an amount may be reserved against the payment. */
export type RefundCheck =
  | { kind: 'allowed' }
  | { kind: 'not-captured'; status: PaymentStatus }
  /** `refundable`: the captured amount less what refunds succeeded or under way already hold. */
  | { kind: 'exceeds-refundable'; refundable: number };

/**
 * The payment of one order: at most one per order. Methods change the state and say what
 * happened; the caller persists the state and publishes the matching message.
 */
export class Payment {
  private constructor(private state: PaymentState) {}

  /** A payment whose authorization request is about to go to the provider of its method. */
  static start(id: string, orderId: string, customerId: string | null, amount: Money, method: string): Payment {
    const provider = PROVIDER_OF_METHOD[method];
    // The contract admits only the methods above.
    if (!provider) throw new Error(`no payment provider takes the method '${method}'`);
    return new Payment({
      id,
      orderId,
      customerId,
      status: 'PENDING',
      amount: { ...amount },
      method,
      provider,
      attempts: 0,
      declineReason: null,
      providerRef: null,
    });
  }

  /** A void that arrived first: it blocks any later authorization of the order. */
  static tombstone(id: string, orderId: string): Payment {
    return new Payment({
      id,
      orderId,
      customerId: null,
      status: 'VOIDED',
      amount: null,
      method: null,
      provider: null,
      attempts: 0,
      declineReason: null,
      providerRef: null,
    });
  }

  static restore(state: PaymentState): Payment {
    return new Payment({ ...state });
  }

  get id(): string {
    return this.state.id;
  }

  get orderId(): string {
    return this.state.orderId;
  }

  get status(): PaymentStatus {
    return this.state.status;
  }

  get amount(): Money | null {
    return this.state.amount;
  }

  /** The provider that authorized it (or will); null on a tombstone. */
  get provider(): PaymentProviderName | null {
    return this.state.provider;
  }

  /** The provider's reference of the authorization, once approved, then of the capture. */
  get providerRef(): string | null {
    return this.state.providerRef;
  }

  toState(): PaymentState {
    return { ...this.state };
  }

  /** How a (possibly repeated) authorization request is answered before asking the provider. */
  answerAuthorizationRequest(): AuthorizationAnswer {
    switch (this.state.status) {
      case 'PENDING':
        return { kind: 'ask-provider' };
      case 'AUTHORIZED':
      case 'CAPTURED':
      case 'PARTIALLY_REFUNDED':
      case 'REFUNDED':
        return { kind: 'authorized' };
      case 'VOIDED':
        return { kind: 'declined', reason: DECLINE_REASON.voided };
      case 'DECLINED':
        // The schema requires a reason on every DECLINED row.
        return { kind: 'declined', reason: this.state.declineReason! };
    }
  }

  /** Records what the provider did; only a PENDING payment changes status. */
  settle(outcome: ProviderOutcome, attempts: number): Settlement {
    this.state.attempts += attempts;
    if (this.state.status === 'VOIDED') {
      if (outcome.kind !== 'approved') return { kind: 'already-settled' };
      this.state.providerRef = outcome.reference;
      return { kind: 'authorized-after-void' };
    }
    if (this.state.status !== 'PENDING') return { kind: 'already-settled' };
    switch (outcome.kind) {
      case 'approved':
        this.state.status = 'AUTHORIZED';
        this.state.providerRef = outcome.reference;
        return { kind: 'authorized' };
      case 'declined':
        return this.decline(outcome.reason);
      case 'failed':
        return this.decline(DECLINE_REASON.processingError);
      case 'timed-out':
        return { kind: 'still-pending' };
    }
  }

  void(): VoidResult {
    switch (this.state.status) {
      case 'PENDING':
      case 'AUTHORIZED':
        this.state.status = 'VOIDED';
        return 'voided';
      case 'VOIDED':
        return 'already-voided';
      case 'DECLINED':
        return 'nothing-held';
      case 'CAPTURED':
      case 'PARTIALLY_REFUNDED':
      case 'REFUNDED':
        return 'already-captured';
    }
  }

  /** `reference`: the provider's name for the captured payment, where it differs from the authorization's (PayPal's capture id). */
  capture(reference?: string): CaptureResult {
    if (this.state.status === 'AUTHORIZED') {
      this.state.status = 'CAPTURED';
      if (reference !== undefined) this.state.providerRef = reference;
      return 'captured';
    }
    return CAPTURED_STATUSES.includes(this.state.status) ? 'already-captured' : 'not-authorized';
  }

  /**
   * Whether `amount` more may be refunded while refunds succeeded or under way hold `held`: only
   * what was captured, and never more than it in all.
   */
  checkRefund(amount: number, held: number): RefundCheck {
    if (!CAPTURED_STATUSES.includes(this.state.status)) return { kind: 'not-captured', status: this.state.status };
    // A captured payment has its amount (only a tombstone lacks one).
    const refundable = this.state.amount!.amount - held;
    return amount > refundable ? { kind: 'exceeds-refundable', refundable } : { kind: 'allowed' };
  }

  /** Records that refunds gave back `total` in all: REFUNDED once that is the whole capture. */
  recordRefunded(total: number): 'PARTIALLY_REFUNDED' | 'REFUNDED' {
    const status = total >= this.state.amount!.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    this.state.status = status;
    return status;
  }

  private decline(reason: string): Settlement {
    this.state.status = 'DECLINED';
    this.state.declineReason = reason;
    return { kind: 'declined', reason };
  }
}
