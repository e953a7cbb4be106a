import type { FastifyRequest } from 'fastify';
import { whileClientWaits } from './client-connection';
import { declined, ProviderError, unavailable } from './provider-error';

/**
 * What a payment authorization does with its test token, like Stripe's test mode. Any other
 * `tok_…` token approves; anything else is declined `invalid_token`.
 */
export const TEST_TOKENS = {
  tok_visa: 'approve',
  tok_chargeDeclined: 'card_declined',
  tok_insufficientFunds: 'insufficient_funds',
  /** A retryable 500, every time. */
  tok_processingError: 'processing_error',
  /** No answer at all: the request stays open until the client gives up or the simulator stops. */
  tok_timeout: 'no_answer',
  /**
   * Card and PayPal: authorizes, but every capture is declined for good (`capture_declined`, as an
   * issuer may at capture time); the authorization stays open until it is voided.
   */
  tok_captureDeclined: 'approve_then_decline_capture',
} as const;

export type TokenOutcome =
  | 'approve'
  | 'approve_then_decline_capture'
  | 'card_declined'
  | 'insufficient_funds'
  | 'invalid_token'
  | 'processing_error'
  | 'no_answer';

export function outcomeOfToken(token: string): TokenOutcome {
  if (Object.hasOwn(TEST_TOKENS, token)) return TEST_TOKENS[token as keyof typeof TEST_TOKENS];
  return token.startsWith('tok_') ? 'approve' : 'invalid_token';
}

/** Whether an authorization with this outcome is approved. */
export function authorizes(outcome: TokenOutcome): outcome is 'approve' | 'approve_then_decline_capture' {
  return outcome === 'approve' || outcome === 'approve_then_decline_capture';
}

/** The refusal of a capture of a payment authorized with `token`, if its test token says so. */
export function captureRefusalOf(token: string): ProviderError | undefined {
  return outcomeOfToken(token) === 'approve_then_decline_capture' ? declined('capture_declined', 'The card issuer declined the capture.') : undefined;
}

export const DECLINE_MESSAGES = {
  card_declined: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  invalid_token: 'The payment method token is not a test token (tok_…).',
} as const;

export function declineFor(outcome: keyof typeof DECLINE_MESSAGES, details: Record<string, unknown> = {}): ProviderError {
  return declined(outcome, DECLINE_MESSAGES[outcome], details);
}

export function processingError(): ProviderError {
  return unavailable('processing_error', 'An error occurred while processing the payment; retry later', 500);
}

/** Thrown once a call that was never going to be answered is over: nothing is sent back. */
export class NoAnswer extends Error {}

/**
 * Holds a call that never answers until its client disconnects or the simulator stops; then it
 * rejects, so the call's idempotency key is freed and nothing is left waiting.
 */
export function neverAnswer(request: FastifyRequest, closing: AbortSignal): Promise<never> {
  const { signal } = whileClientWaits(request, closing);
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new NoAnswer('the call was held without an answer until its client or the simulator went away')), { once: true });
  });
}
