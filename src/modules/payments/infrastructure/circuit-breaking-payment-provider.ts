import { OnApplicationShutdown } from '@nestjs/common';
import type CircuitBreaker from 'opossum';
import { createBreaker, isOpenCircuit } from '../../../../libs/resilience';
import {
  AuthorizationRequest,
  CaptureRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderRefusedError,
  ProviderUnavailableError,
  VoidRequest,
} from '../application/ports/payment-provider';

type ProviderCall = () => Promise<unknown>;

/**
 * Calls a provider through one circuit breaker for all its operations, so a provider that hangs
 * or keeps failing costs a fast error instead of a stuck message. The provider's client times its
 * calls out itself (and aborts them); a timeout counts as a failure here. Declines resolve and
 * refusals are answers, so neither opens the circuit. An open circuit becomes the port's
 * ProviderUnavailableError.
 */
export class CircuitBreakingPaymentProvider implements PaymentProvider, OnApplicationShutdown {
  private readonly breaker: CircuitBreaker<[ProviderCall], unknown>;

  constructor(private readonly provider: PaymentProvider) {
    this.breaker = createBreaker((call: ProviderCall) => call(), {
      name: 'payment-provider',
      timeoutMs: false,
      isFailure: (error) => !(error instanceof ProviderRefusedError),
    });
  }

  authorize(request: AuthorizationRequest): Promise<ProviderAnswer> {
    return this.fire(() => this.provider.authorize(request));
  }

  capture(request: CaptureRequest): Promise<void> {
    return this.fire(() => this.provider.capture(request));
  }

  void(request: VoidRequest): Promise<void> {
    return this.fire(() => this.provider.void(request));
  }

  onApplicationShutdown(): void {
    this.breaker.shutdown();
  }

  private async fire<T>(call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(call)) as T;
    } catch (error) {
      if (isOpenCircuit(error)) throw new ProviderUnavailableError('the provider circuit is open');
      throw error;
    }
  }
}
