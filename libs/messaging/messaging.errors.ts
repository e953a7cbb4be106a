/** The inbox already holds this (consumer, message): the effect happened, skip it. */
export class AlreadyProcessedError extends Error {
  constructor(consumer: string, messageId: string) {
    super(`${consumer} already processed message ${messageId}`);
  }
}

/** A message no retry can fix (unknown type or version, malformed envelope). */
export class PoisonMessageError extends Error {
  readonly retryable = false;
}

export interface ConsumerFailure {
  consumer: string;
  error: unknown;
}

/** One or more local consumers failed to handle a delivery. */
export class DeliveryError extends Error {
  constructor(readonly failures: ConsumerFailure[]) {
    super(failures.map((f) => `${f.consumer}: ${describeError(f.error)}`).join('; '));
  }

  get consumers(): string[] {
    return this.failures.map((f) => f.consumer);
  }
}

/** An error says no retry can help by carrying `retryable: false` (domain errors need no import for it). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof DeliveryError) return error.failures.every((f) => isRetryable(f.error));
  return (error as { retryable?: unknown } | null)?.retryable !== false;
}

/**
 * An error says the message is not at fault, only a dependency known to be down for now (an open
 * circuit), by carrying `deferred: true`: the message is retried with backoff until that dependency
 * is back, and its failed deliveries never use up MESSAGE_MAX_ATTEMPTS.
 */
export function isDeferred(error: unknown): boolean {
  if (error instanceof DeliveryError) return error.failures.every((f) => isDeferred(f.error));
  return (error as { deferred?: unknown } | null)?.deferred === true;
}

/**
 * How long a deferred delivery waits before its next try: until its dependency says it may take
 * calls again (`retryAfterMs` on the error, e.g. when an open circuit half-opens), never less than
 * `minMs` nor more than `maxMs`; `maxMs` when the error does not say.
 */
export function deferredDelayMs(error: unknown, { minMs, maxMs }: { minMs: number; maxMs: number }): number {
  const errors = error instanceof DeliveryError ? error.failures.map((f) => f.error) : [error];
  const hints = errors.map((e) => (e as { retryAfterMs?: unknown } | null)?.retryAfterMs);
  if (!hints.every((hint): hint is number => typeof hint === 'number' && hint >= 0)) return maxMs;
  return Math.min(maxMs, Math.max(minMs, ...hints));
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
