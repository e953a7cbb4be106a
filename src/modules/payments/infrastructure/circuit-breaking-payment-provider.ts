import { OnApplicationShutdown } from '@nestjs/common';
import type CircuitBreaker from 'opossum';
import { createBreaker, isOpenCircuit } from '../../../../libs/resilience';
import {
  AuthorizationRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderRefusedError,
  ProviderUnavailableError,
} from '../application/ports/payment-provider';

/**
 * Calls a provider through a circuit breaker, so a provider that hangs or keeps failing costs a
 * fast error instead of a stuck message. The provider's client times its calls out itself (and
 * aborts them); a timeout counts as a failure here. Declines resolve and refusals are answers, so
 * neither opens the circuit. An open circuit becomes the port's ProviderUnavailableError.
 */
export class CircuitBreakingPaymentProvider implements PaymentProvider, OnApplicationShutdown {
  private readonly breaker: CircuitBreaker<[AuthorizationRequest], ProviderAnswer>;

  constructor(provider: PaymentProvider) {
    this.breaker = createBreaker((request: AuthorizationRequest) => provider.authorize(request), {
      name: 'payment-provider',
      timeoutMs: false,
      isFailure: (error) => !(error instanceof ProviderRefusedError),
    });
  }

  async authorize(request: AuthorizationRequest): Promise<ProviderAnswer> {
    try {
      return await this.breaker.fire(request);
    } catch (error) {
      if (isOpenCircuit(error)) throw new ProviderUnavailableError('the provider circuit is open');
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.breaker.shutdown();
  }
}
