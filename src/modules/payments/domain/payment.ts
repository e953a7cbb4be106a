export const PAYMENT_STATUSES = ['PENDING', 'PARKED', 'AWAITING_TRANSFER', 'AUTHORIZED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'DECLINED'] as const;
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
  /** The provider stayed unavailable until the parked payment's deadline. */
  providerUnavailable: 'provider_unavailable',
  /** No on-chain transfer to the payment's address had its confirmations by the request's expiry. */
  transferNotReceived: 'transfer_not_received',
  /** On-chain transfers came by the expiry, but less than the amount asked for. */
  transferUnderpaid: 'transfer_underpaid',
} as const;

/** A payment method sealed for payments (AuthorizePaymentV2): kept as it came, never opened at rest. */
export interface SealedPaymentMethod {
  sealed: string;
  /** ISO date after which it no longer opens. */
  expiresAt: string;
}

/** Why and until when a payment waits for its provider, with what to ask it again. */
export interface Parking {
  until: Date;
  paymentMethod: SealedPaymentMethod;
}

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
  /** Set while PARKED only. */
  parking: Parking | null;
}

/** What the provider did for one authorization request, after retries. */
export type ProviderOutcome =
  | { kind: 'approved'; reference: string }
  | { kind: 'declined'; reason: string }
  | { kind: 'failed' }
  | { kind: 'timed-out' }
  /**
   * The provider could not be asked (its circuit open, its bulkhead full, or failing while its
   * circuit opened). `paymentMethod` is absent for a request that carried its token itself, which
   * cannot be kept to ask again.
   */
  | { kind: 'unavailable'; parkUntil: Date; paymentMethod: SealedPaymentMethod | null };

/** The answer an authorization request gets from the payment as it stands. */
export type AuthorizationAnswer =
  | { kind: 'ask-provider' }
  | { kind: 'authorized' }
  | { kind: 'declined'; reason: string }
  /** Waiting for its provider to recover: resumed by payments itself, not by the request. */
  | { kind: 'parked'; until: Date }
  /** Waiting for the payer's on-chain transfer: settled by the transfer watcher, not by the request. */
  | { kind: 'transfer-requested' };

/** What a provider outcome did to the payment. */
export type Settlement =
  | { kind: 'authorized' }
  | { kind: 'declined'; reason: string }
  /** The provider is unavailable: the payment waits for it, until `until`. */
  | { kind: 'parked'; until: Date }
  /** Parked, and the provider still unavailable. */
  | { kind: 'still-parked' }
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
      parking: null,
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
      parking: null,
    });
  }

  static restore(state: PaymentState): Payment {
    return new Payment({ ...state, parking: state.parking && { ...state.parking } });
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

  /** The payment method named by the authorization request; null on a tombstone. */
  get method(): string | null {
    return this.state.method;
  }

  /** The provider that authorized it (or will); null on a tombstone. */
  get provider(): PaymentProviderName | null {
    return this.state.provider;
  }

  /** The provider's reference of the authorization, once approved, then of the capture. */
  get providerRef(): string | null {
    return this.state.providerRef;
  }

  get parking(): Parking | null {
    return this.state.parking;
  }

  toState(): PaymentState {
    return { ...this.state, parking: this.state.parking && { ...this.state.parking } };
  }

  /** How a (possibly repeated) authorization request is answered before asking the provider. */
  answerAuthorizationRequest(): AuthorizationAnswer {
    switch (this.state.status) {
      case 'PENDING':
        return { kind: 'ask-provider' };
      case 'PARKED':
        return { kind: 'parked', until: this.state.parking!.until };
      case 'AWAITING_TRANSFER':
        return { kind: 'transfer-requested' };
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

  /**
   * Records what the provider did; only a PENDING or PARKED payment changes status. A PENDING one
   * the provider could not be asked about is parked until `parkUntil`, or the expiry of its payment
   * method if sooner; a PARKED one stays parked while no answer comes.
   */
  settle(outcome: ProviderOutcome, attempts: number): Settlement {
    this.state.attempts += attempts;
    if (this.state.status === 'VOIDED') {
      if (outcome.kind !== 'approved') return { kind: 'already-settled' };
      this.state.providerRef = outcome.reference;
      return { kind: 'authorized-after-void' };
    }
    if (this.state.status !== 'PENDING' && this.state.status !== 'PARKED') return { kind: 'already-settled' };
    const parked = this.state.status === 'PARKED';
    switch (outcome.kind) {
      case 'approved':
        this.leave('AUTHORIZED');
        this.state.providerRef = outcome.reference;
        return { kind: 'authorized' };
      case 'declined':
        return this.decline(outcome.reason);
      case 'failed':
        return this.decline(DECLINE_REASON.processingError);
      case 'timed-out':
        return parked ? { kind: 'still-parked' } : { kind: 'still-pending' };
      case 'unavailable':
        if (parked) return { kind: 'still-parked' };
        return outcome.paymentMethod ? this.park(outcome.parkUntil, outcome.paymentMethod) : this.decline(DECLINE_REASON.processingError);
    }
  }

  /** A PENDING payment now waits for the payer's on-chain transfer, asked for by a transfer request. */
  awaitTransfer(): boolean {
    if (this.state.status !== 'PENDING') return false;
    this.leave('AWAITING_TRANSFER');
    return true;
  }

  /**
   * What the payer's transfers came to: paid in full (`reference`: the transfer request) authorizes
   * the payment; otherwise it is declined. Only a payment still awaiting its transfer changes.
   */
  settleTransfer(outcome: { kind: 'paid'; reference: string } | { kind: 'unpaid'; reason: string }): Settlement {
    if (this.state.status !== 'AWAITING_TRANSFER') return { kind: 'already-settled' };
    if (outcome.kind === 'unpaid') return this.decline(outcome.reason);
    this.leave('AUTHORIZED');
    this.state.providerRef = outcome.reference;
    return { kind: 'authorized' };
  }

  /** A PARKED payment whose deadline passed is declined: its provider stayed unavailable. */
  expireParking(now: Date): Settlement {
    if (this.state.status !== 'PARKED' || this.state.parking!.until > now) return { kind: 'already-settled' };
    return this.decline(DECLINE_REASON.providerUnavailable);
  }

  void(): VoidResult {
    switch (this.state.status) {
      case 'PENDING':
      case 'PARKED':
      case 'AWAITING_TRANSFER':
      case 'AUTHORIZED':
        this.leave('VOIDED');
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
    this.leave('DECLINED');
    this.state.declineReason = reason;
    return { kind: 'declined', reason };
  }

  private park(parkUntil: Date, paymentMethod: SealedPaymentMethod): Settlement {
    // Asked after its payment method expired, the provider could only be refused it.
    const until = new Date(Math.min(parkUntil.getTime(), Date.parse(paymentMethod.expiresAt)));
    this.state.status = 'PARKED';
    this.state.parking = { until, paymentMethod: { ...paymentMethod } };
    return { kind: 'parked', until };
  }

  /** Any status but PARKED drops the parking, and with it the sealed payment method: it is needed no more. */
  private leave(status: Exclude<PaymentStatus, 'PARKED'>): void {
    this.state.status = status;
    this.state.parking = null;
  }
}
