import type { PaymentMethodKey } from './infrastructure/payment-method-opener';

export const PAYMENTS_OPTIONS = Symbol('PAYMENTS_OPTIONS');

export interface PaymentsOptions {
  /** Added to every call of the simulated provider. */
  providerLatencyMs: number;
  /** Share of simulated provider calls, in [0, 1), that fail with a ProviderError (load tests). */
  providerFailureRate: number;
  /** A provider call without an answer after this long counts as timed out. */
  providerTimeoutMs: number;
  /** Provider calls per authorization request, the first included. */
  retryAttempts: number;
  /** First retry delay; it doubles on each retry, with jitter. */
  retryBaseMs: number;
  /** Opens the payment methods of authorization requests (docs/decisions/0022). */
  paymentMethodRefs: PaymentMethodKey;
}

export const DEFAULT_PAYMENTS_OPTIONS: PaymentsOptions = {
  providerLatencyMs: 0,
  providerFailureRate: 0,
  providerTimeoutMs: 2000,
  retryAttempts: 3,
  retryBaseMs: 100,
  paymentMethodRefs: { keyMadeAtStart: false },
};

/** Fills in the defaults and rejects values the module cannot run with. */
export function resolvePaymentsOptions(options: Partial<PaymentsOptions>): PaymentsOptions {
  const resolved = { ...DEFAULT_PAYMENTS_OPTIONS, ...options };
  const problems: string[] = [];
  if (!(resolved.providerLatencyMs >= 0)) problems.push('providerLatencyMs must be >= 0');
  if (!(resolved.providerFailureRate >= 0 && resolved.providerFailureRate < 1)) {
    problems.push('providerFailureRate must be in [0, 1)');
  }
  if (!(resolved.providerTimeoutMs > 0)) problems.push('providerTimeoutMs must be > 0');
  if (!Number.isInteger(resolved.retryAttempts) || resolved.retryAttempts < 1) {
    problems.push('retryAttempts must be an integer >= 1');
  }
  if (!(resolved.retryBaseMs >= 0)) problems.push('retryBaseMs must be >= 0');
  if (problems.length > 0) throw new Error(`Invalid payments options: ${problems.join('; ')}`);
  return resolved;
}
