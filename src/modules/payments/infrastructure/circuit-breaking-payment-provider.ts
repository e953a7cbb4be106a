import { OnApplicationShutdown } from '@nestjs/common';
import type CircuitBreaker from 'opossum';
import { createBreaker, isOpenCircuit, isTimeout } from '../../../../libs/resilience';
import {
  AuthorizationRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../application/ports/payment-provider';

/**
 * Calls a provider through a circuit breaker with a timeout, so a provider that hangs or keeps
 * failing costs a fast error instead of a stuck message. Declines resolve, so they never open
 * the circuit. The breaker's own errors become the port's errors.
 */
export class CircuitBreakingPaymentProvider implements PaymentProvider, OnApplicationShutdown {
  private readonly breaker: CircuitBreaker<[AuthorizationRequest], ProviderAnswer>;

  constructor(
    provider: PaymentProvider,
    private readonly timeoutMs: number,
  ) {
    this.breaker = createBreaker((request: AuthorizationRequest) => provider.authorize(request), {
      name: 'payment-provider',
      timeoutMs,
    });
  }

  async authorize(request: AuthorizationRequest): Promise<ProviderAnswer> {
    try {
      return await this.breaker.fire(request);
    } catch (error) {
      if (isTimeout(error)) throw new ProviderTimeoutError(`no answer from the provider within ${this.timeoutMs} ms`);
      if (isOpenCircuit(error)) throw new ProviderUnavailableError('the provider circuit is open');
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.breaker.shutdown();
  }
}
