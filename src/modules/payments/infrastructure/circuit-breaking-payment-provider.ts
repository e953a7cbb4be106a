import { OnApplicationShutdown } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type CircuitBreaker from 'opossum';
import type { Counter, Histogram } from 'prom-client';
import { Bulkhead, BulkheadFullError, CircuitBreakerRegistry, createBreaker, isOpenCircuit } from '../../../../libs/resilience';
import { PaymentProviderName } from '../domain/payment';
import {
  AuthorizationRequest,
  CaptureRequest,
  PaymentProvider,
  PaymentProviders,
  ProviderAnswer,
  ProviderCircuit,
  ProviderRefusedError,
  ProviderUnavailableError,
  RefundRequest,
  VoidRequest,
} from '../application/ports/payment-provider';

type ProviderCall = () => Promise<unknown>;
type ProviderOperation = 'authorize' | 'capture' | 'void' | 'refund';
/** ok: done (authorized, captured…); declined: the provider said no; refused: a final error; unavailable: not sent (open circuit, no slot); error: failed or timed out. */
type ProviderCallResult = 'ok' | 'declined' | 'refused' | 'unavailable' | 'error';

/** `payments_processed_total` and `payment_processing_duration_seconds` (the wait for a bulkhead slot included). */
export interface ProviderCallMetrics {
  processed: Counter<'provider' | 'operation' | 'result'>;
  duration: Histogram<'provider' | 'operation'>;
}

export interface BreakerSettings {
  /** The provider's name; its breaker is `payments.<name>` in logs, metrics and statuses. */
  name: string;
  /** Share of failed calls, in percent, over the rolling window that opens the circuit. */
  errorPercent: number;
  /** Calls the rolling window must hold before that share counts. */
  volume: number;
  /** Failures in a row that open the circuit whatever the window holds. */
  consecutiveFailures: number;
  /** How long the circuit stays open before one probe call decides: closed on success, open again on failure. */
  resetMs: number;
  /** Calls under way at once (a bulkhead); more wait their turn for up to `maxWaitMs`, then are refused. */
  maxConcurrent: number;
  maxWaitMs: number;
}

/**
 * Calls a provider through one circuit breaker for all its operations, so a provider that hangs
 * or keeps failing costs a fast error instead of a stuck message, and through a bulkhead, so it
 * never holds more than `maxConcurrent` calls: a burst queues for a free slot, briefly. The
 * provider's client times its calls out itself (and aborts them); a timeout counts as a failure
 * here. Declines resolve and refusals are answers, so neither opens the circuit, nor does the
 * bulkhead, which is ours and sits in front of the breaker. An open circuit and a call that waited
 * too long for a slot become the port's ProviderUnavailableError, retried later. The
 * breaker's state and counts are shown through `breakers` (metrics, readiness, admin endpoint).
 */
export class CircuitBreakingPaymentProvider implements PaymentProvider, OnApplicationShutdown {
  private readonly breaker: CircuitBreaker<[ProviderCall], unknown>;
  private readonly bulkhead: Bulkhead;
  private readonly name: string;
  private readonly resetMs: number;
  /** When the circuit last opened: it half-opens `resetMs` later. */
  private openedAt = 0;

  constructor(
    private readonly provider: PaymentProvider,
    settings: BreakerSettings,
    breakers?: CircuitBreakerRegistry,
    private readonly metrics?: ProviderCallMetrics,
  ) {
    this.name = settings.name;
    this.breaker = createBreaker((call: ProviderCall) => call(), {
      name: `payments.${settings.name}`,
      timeoutMs: false,
      errorThresholdPercentage: settings.errorPercent,
      volumeThreshold: settings.volume,
      consecutiveFailuresToOpen: settings.consecutiveFailures,
      resetTimeoutMs: settings.resetMs,
      isFailure: (error) => !(error instanceof ProviderRefusedError),
    });
    this.breaker.on('open', () => (this.openedAt = Date.now()));
    this.resetMs = settings.resetMs;
    this.bulkhead = new Bulkhead(settings.maxConcurrent, settings.maxWaitMs);
    breakers?.track(this.breaker, { owner: 'payments', provider: settings.name });
  }

  authorize(request: AuthorizationRequest): Promise<ProviderAnswer> {
    return this.fire('authorize', () => this.provider.authorize(request), (answer) => (answer.approved ? 'ok' : 'declined'));
  }

  capture(request: CaptureRequest): Promise<string> {
    return this.fire('capture', () => this.provider.capture(request));
  }

  void(request: VoidRequest): Promise<void> {
    return this.fire('void', () => this.provider.void(request));
  }

  refund(request: RefundRequest): Promise<string> {
    return this.fire('refund', () => this.provider.refund(request));
  }

  get circuit(): ProviderCircuit {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /**
   * `listener` runs when the circuit half-opens (one probe may go) and when it closes, in the
   * asynchronous context it was registered in. A call that succeeds as the probe closes the
   * circuit; run in that call's context, the work the listener starts would pass for part of the
   * message the call is handling, and its transaction would record that message in the inbox.
   */
  onCallsAdmitted(listener: (circuit: Exclude<ProviderCircuit, 'open'>) => void): void {
    const admitted = AsyncResource.bind(listener);
    this.breaker.on('halfOpen', () => admitted('half-open'));
    this.breaker.on('close', () => admitted('closed'));
  }

  onApplicationShutdown(): void {
    this.breaker.shutdown();
  }

  private async fire<T>(operation: ProviderOperation, call: () => Promise<T>, resultOf: (answer: T) => ProviderCallResult = () => 'ok'): Promise<T> {
    const startedAt = performance.now();
    const observe = (result: ProviderCallResult) => {
      this.metrics?.processed.inc({ provider: this.name, operation, result });
      this.metrics?.duration.observe({ provider: this.name, operation }, (performance.now() - startedAt) / 1000);
    };
    try {
      const answer = (await this.bulkhead.run(() => this.breaker.fire(call))) as T;
      observe(resultOf(answer));
      return answer;
    } catch (error) {
      observe(
        error instanceof ProviderRefusedError
          ? 'refused'
          : isOpenCircuit(error) || error instanceof BulkheadFullError
            ? 'unavailable'
            : 'error',
      );
      if (isOpenCircuit(error)) {
        const halfOpensInMs = Math.max(0, this.openedAt + this.resetMs - Date.now());
        throw new ProviderUnavailableError(`the circuit of the ${this.name} provider is open`, halfOpensInMs);
      }
      // It waited for a slot already: it may go again at once.
      if (error instanceof BulkheadFullError) throw new ProviderUnavailableError(`the ${this.name} provider has as many calls under way as it may`, 0);
      throw error;
    }
  }
}

/** Each provider behind its own breaker and bulkhead, shut down with the application. */
export class CircuitBreakingPaymentProviders implements PaymentProviders, OnApplicationShutdown {
  constructor(private readonly providers: Readonly<Record<PaymentProviderName, CircuitBreakingPaymentProvider>>) {}

  of(name: PaymentProviderName): PaymentProvider {
    return this.providers[name];
  }

  circuitOf(name: PaymentProviderName): ProviderCircuit {
    return this.providers[name].circuit;
  }

  onCallsAdmitted(listener: (name: PaymentProviderName, circuit: Exclude<ProviderCircuit, 'open'>) => void): void {
    for (const [name, provider] of Object.entries(this.providers) as [PaymentProviderName, CircuitBreakingPaymentProvider][]) {
      provider.onCallsAdmitted((circuit) => listener(name, circuit));
    }
  }

  onApplicationShutdown(): void {
    for (const provider of Object.values(this.providers)) provider.onApplicationShutdown();
  }
}
