import { retry } from '../../../../libs/resilience';
import type { PaymentsOptions } from '../payments.options';
import { ProviderError, ProviderUnavailableError } from './ports/payment-provider';

/** Longest pause between two provider calls of one request. */
export const MAX_RETRY_DELAY_MS = 5_000;

/**
 * Calls the provider until it answers, retrying its errors and an open circuit with backoff
 * (`retryAttempts` calls at most). Never a timeout, which may have had its effect, nor a refusal,
 * which would only be refused again.
 */
export function withProviderRetries<T>(call: (attempt: number) => Promise<T>, options: Pick<PaymentsOptions, 'retryAttempts' | 'retryBaseMs'>): Promise<T> {
  return retry(call, {
    attempts: options.retryAttempts,
    baseMs: options.retryBaseMs,
    maxMs: MAX_RETRY_DELAY_MS,
    isRetryable: (error) => error instanceof ProviderError || error instanceof ProviderUnavailableError,
  });
}
