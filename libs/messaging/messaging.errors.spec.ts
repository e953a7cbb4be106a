import { DeliveryError, isDeferred, isRetryable, PoisonMessageError } from './messaging.errors';

/** A dependency known to be down, as payments' ProviderUnavailableError says it (duck-typed, as `retryable`). */
class DependencyDown extends Error {
  readonly deferred = true;
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
