import type { PaymentMethodKey } from './infrastructure/payment-method-opener';

export const PAYMENTS_OPTIONS = Symbol('PAYMENTS_OPTIONS');

export interface PaymentsOptions {
  /**
   * Where the card provider's API listens, as `http://127.0.0.1:4010`; a function for a provider
   * the process starts itself, which knows its URL only once it listens.
   */
  providerUrl: string | (() => Promise<string>);
  /** A provider call without an answer after this long counts as timed out. */
  providerTimeoutMs: number;
  /** Provider calls per authorization request, the first included. */
  retryAttempts: number;
  /** First retry delay; it doubles on each retry, with jitter. */
  retryBaseMs: number;
  /** Opens the payment methods of authorization requests (docs/decisions/0022). */
  paymentMethodRefs: PaymentMethodKey;
}

export const DEFAULT_PAYMENTS_OPTIONS: Omit<PaymentsOptions, 'providerUrl'> = {
  providerTimeoutMs: 2000,
  retryAttempts: 3,
  retryBaseMs: 100,
  paymentMethodRefs: { keyMadeAtStart: false },
};

/** Fills in the defaults and rejects values the module cannot run with. */
export function resolvePaymentsOptions(options: Partial<PaymentsOptions> & Pick<PaymentsOptions, 'providerUrl'>): PaymentsOptions {
  const resolved = { ...DEFAULT_PAYMENTS_OPTIONS, ...options };
  const problems: string[] = [];
  if (typeof resolved.providerUrl === 'string' && !URL.canParse(resolved.providerUrl)) problems.push('providerUrl must be a URL');
  if (!(resolved.providerTimeoutMs > 0)) problems.push('providerTimeoutMs must be > 0');
  if (!Number.isInteger(resolved.retryAttempts) || resolved.retryAttempts < 1) {
    problems.push('retryAttempts must be an integer >= 1');
  }
  if (!(resolved.retryBaseMs >= 0)) problems.push('retryBaseMs must be >= 0');
  if (problems.length > 0) throw new Error(`Invalid payments options: ${problems.join('; ')}`);
  return resolved;
}
