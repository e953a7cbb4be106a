import { Money } from './payment';

export const REFUND_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** Longest reason a refund may record. */
export const MAX_REFUND_REASON_LENGTH = 500;

export interface RefundState {
  id: string;
  paymentId: string;
  /** Part or all of the payment's captured amount, in its currency. */
  amount: Money;
  status: RefundStatus;
  /** Why staff refunded, in their words; not sent to the provider. */
  reason: string | null;
  /** The requester's key: one refund per payment and key. */
  idempotencyKey: string;
  requestedBy: string;
  /** The provider's id of the refund, once it succeeded. */
  providerRef: string | null;
  /** The provider's code when it refused the refund for good. */
  failureReason: string | null;
}

/**
 * Money given back from a captured payment. A PENDING refund holds its amount against the
 * payment's captured amount until the provider has answered: SUCCEEDED keeps it, FAILED releases it.
 */
export class Refund {
  private constructor(private state: RefundState) {}

  /** A refund whose provider call is about to be made; it holds its amount from now on. */
  static request(id: string, paymentId: string, amount: Money, reason: string | null, idempotencyKey: string, requestedBy: string): Refund {
    return new Refund({
      id,
      paymentId,
      amount: { ...amount },
      status: 'PENDING',
      reason,
      idempotencyKey,
      requestedBy,
      providerRef: null,
      failureReason: null,
    });
  }

  static restore(state: RefundState): Refund {
    return new Refund({ ...state });
  }

  get id(): string {
    return this.state.id;
  }

  get paymentId(): string {
    return this.state.paymentId;
  }

  get status(): RefundStatus {
    return this.state.status;
  }

  get amount(): Money {
    return this.state.amount;
  }

  toState(): RefundState {
    return { ...this.state };
  }

  /** Whether a request under the same key asks for this very refund, so it gets this refund's answer. */
  isSameRequest(amount: number, reason: string | null): boolean {
    return this.state.amount.amount === amount && this.state.reason === reason;
  }

  /** Records the provider's refund; false when the refund was settled already (by a retry of its request). */
  succeed(providerRef: string): boolean {
    if (this.state.status !== 'PENDING') return false;
    this.state.status = 'SUCCEEDED';
    this.state.providerRef = providerRef;
    return true;
  }

  /** Records the provider's refusal for good, which releases the amount; false when settled already. */
  fail(code: string): boolean {
    if (this.state.status !== 'PENDING') return false;
    this.state.status = 'FAILED';
    this.state.failureReason = code;
    return true;
  }
}
