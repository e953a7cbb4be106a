import CircuitBreaker from 'opossum';

/** How far back a breaker's counts reach (opossum's default, named so its reports can say so). */
export const ROLLING_WINDOW_MS = 10_000;

export interface BreakerOptions {
  name: string;
  /** Milliseconds before a call counts as failed; false when the call carries its own timeout. */
  timeoutMs: number | false;
  /** Failure percentage over the rolling window that opens the circuit. */
  errorThresholdPercentage?: number;
  /** How long the circuit stays open before one trial call. */
  resetTimeoutMs?: number;
  /** Calls in the window before the circuit may open at all. */
  volumeThreshold?: number;
  /** Failures in a row that open the circuit, however few calls the window holds. */
  consecutiveFailuresToOpen?: number;
  /** Errors that are answers, not failures (a declined card must not open the circuit). */
  isFailure?: (error: unknown) => boolean;
}

/** Wraps a remote call in an opossum circuit breaker with a timeout. */
export function createBreaker<A extends unknown[], R>(
  call: (...args: A) => Promise<R>,
  options: BreakerOptions,
): CircuitBreaker<A, R> {
  const breaker = new CircuitBreaker(call, {
    name: options.name,
    timeout: options.timeoutMs,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    resetTimeout: options.resetTimeoutMs ?? 10_000,
    volumeThreshold: options.volumeThreshold ?? 10,
    rollingCountTimeout: ROLLING_WINDOW_MS,
    errorFilter: options.isFailure ? (error: unknown) => !options.isFailure!(error) : undefined,
  });
  const { consecutiveFailuresToOpen } = options;
  if (consecutiveFailuresToOpen !== undefined) {
    // opossum judges by its rolling window only; a run of failures is counted beside it.
    let failuresInARow = 0;
    breaker.on('success', () => (failuresInARow = 0));
    breaker.on('close', () => (failuresInARow = 0));
    breaker.on('failure', () => {
      failuresInARow += 1;
      if (failuresInARow >= consecutiveFailuresToOpen && breaker.closed) breaker.open();
    });
  }
  return breaker;
}

export function isTimeout(error: unknown): boolean {
  return (error as { code?: string })?.code === 'ETIMEDOUT';
}

export function isOpenCircuit(error: unknown): boolean {
  return (error as { code?: string })?.code === 'EOPENBREAKER';
}
