import { Money, PaymentProviderName } from '../../domain/payment';

export const PAYMENT_PROVIDERS = Symbol('PAYMENT_PROVIDERS');

/**
 * Whether calls to a provider go through: `closed`, all of them; `half-open`, one probe call whose
 * outcome closes or opens the circuit again; `open`, none.
 */
export type ProviderCircuit = 'closed' | 'half-open' | 'open';

/** The payment providers by name: the one a payment was authorized at takes all its later calls. */
export interface PaymentProviders {
  of(name: PaymentProviderName): PaymentProvider;
  circuitOf(name: PaymentProviderName): ProviderCircuit;
  /** Calls `listener` each time a provider's circuit starts letting calls through again (half-open, then closed). */
  onCallsAdmitted(listener: (name: PaymentProviderName, circuit: Exclude<ProviderCircuit, 'open'>) => void): void;
}

export interface AuthorizationRequest {
  /** With the operation, the idempotency key the provider gets, so a repeated request authorizes once. */
  paymentId: string;
  orderId: string;
  amount: Money;
  method: string;
  /** Provider token of the payment instrument, never a card number. */
  token: string;
}

/** Takes the authorized amount; the payment id makes the call's idempotency key. */
export interface CaptureRequest {
  paymentId: string;
  /** The provider's reference of the authorization. */
  reference: string;
  amount: Money;
}

/** Releases an authorization that was not captured. */
export interface VoidRequest {
  paymentId: string;
  reference: string;
}

/** Gives back part or all of a captured amount; the refund id makes the call's idempotency key. */
export interface RefundRequest {
  refundId: string;
  /** The provider's reference of the captured payment (as the capture answered it). */
  reference: string;
  amount: Money;
}

/** A decline is an answer, not a failure. */
export type ProviderAnswer = { approved: true; reference: string } | { approved: false; reason: string };

/**
 * A payment service provider (card acquirer, PayPal, crypto) that authorizes amounts, then captures
 * or voids them, and refunds what it captured. Each call is idempotent per payment (or refund)
 * and operation: repeating one has no second effect.
 */
export interface PaymentProvider {
  authorize(request: AuthorizationRequest): Promise<ProviderAnswer>;
  /** Resolves to the provider's reference of the captured payment, which refunds name. */
  capture(request: CaptureRequest): Promise<string>;
  void(request: VoidRequest): Promise<void>;
  /** Resolves to the provider's reference of the refund. */
  refund(request: RefundRequest): Promise<string>;
}

/** The provider failed to answer (an error on its side, a dropped connection); worth retrying. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
}

/** The provider refused the request for good (malformed, or a state that forbids it): asking again changes nothing. */
export class ProviderRefusedError extends Error {
  override readonly name = 'ProviderRefusedError';
  /** Messaging dead-letters the message whose handling it fails at once: an operator has to look. */
  readonly retryable = false;

  constructor(
    /** The provider's error code, as `payment_intent_unexpected_state`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls are short-circuited while the provider keeps failing; worth retrying later. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  /**
   * Messaging retries a message that fails so (a capture or void meeting an open circuit) until the
   * provider is back, without using up its deliveries: the order must not be left to an operator for an outage.
   */
  readonly deferred = true;

  /** When the provider may take calls again, if known (its circuit half-opens then): messaging retries then. */
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * No answer in time. The provider may still authorize, so the request is not repeated: the
 * payment stays PENDING until the order voids it.
 */
export class ProviderTimeoutError extends Error {
  override readonly name = 'ProviderTimeoutError';
}
