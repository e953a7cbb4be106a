import { deferredDelayMs, DeliveryError, isDeferred, isRetryable, PoisonMessageError } from './messaging.errors';

/** A dependency known to be down, as payments' ProviderUnavailableError says it (duck-typed, as `retryable`). */
class DependencyDown extends Error {
  readonly deferred = true;

  constructor(readonly retryAfterMs?: number) {
    super('down');
  }
}

describe('isDeferred', () => {
  it('holds for an error that says its dependency is down, and for a delivery that failed only so', () => {
    expect(isDeferred(new DependencyDown())).toBe(true);
    expect(isDeferred(new DeliveryError([{ consumer: 'payments', error: new DependencyDown() }]))).toBe(true);
    expect(isRetryable(new DependencyDown())).toBe(true);
  });

  it('does not hold for any other failure, nor for a delivery where another consumer failed otherwise', () => {
    expect(isDeferred(new Error('boom'))).toBe(false);
    expect(isDeferred(undefined)).toBe(false);
    expect(isDeferred(new PoisonMessageError('bad'))).toBe(false);
    expect(
      isDeferred(
        new DeliveryError([
          { consumer: 'payments', error: new DependencyDown() },
          { consumer: 'inventory', error: new Error('boom') },
        ]),
      ),
    ).toBe(false);
  });
});

describe('deferredDelayMs', () => {
  const bounds = { minMs: 200, maxMs: 30_000 };

  it('waits until the dependency says it may take calls again, within the bounds', () => {
    expect(deferredDelayMs(new DependencyDown(4000), bounds)).toBe(4000);
    expect(deferredDelayMs(new DependencyDown(0), bounds)).toBe(200);
    expect(deferredDelayMs(new DependencyDown(600_000), bounds)).toBe(30_000);
  });

  it('waits for the latest of a delivery whose consumers all say, and the most when any does not say', () => {
    const failures = (...errors: Error[]) => new DeliveryError(errors.map((error, i) => ({ consumer: `c${i}`, error })));
    expect(deferredDelayMs(failures(new DependencyDown(1000), new DependencyDown(3000)), bounds)).toBe(3000);
    expect(deferredDelayMs(failures(new DependencyDown(1000), new DependencyDown()), bounds)).toBe(30_000);
    expect(deferredDelayMs(new DependencyDown(), bounds)).toBe(30_000);
  });
});
