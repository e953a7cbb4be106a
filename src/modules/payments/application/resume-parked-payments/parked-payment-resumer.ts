import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PaymentDeclinedV1 } from '../../../../../libs/contracts/payments';
import { UnitOfWork } from '../../../../../libs/messaging';
import { PAYMENT_PROVIDER_NAMES, Payment, PaymentProviderName } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions } from '../../payments.options';
import { AuthorizationTarget, ProviderAuthorization } from '../authorize-payment/provider-authorization';
import { PAYMENT_PROVIDERS } from '../ports/payment-provider';
import type { PaymentProviders } from '../ports/payment-provider';
import { MAX_RETRY_DELAY_MS } from '../provider-retries';

/** Parked payments resumed side by side per round, while the circuit is closed. */
const RESUME_BATCH = 50;
/** Overdue parked payments declined per transaction. */
const EXPIRY_BATCH = 100;
/** Kept on top of the longest a resume's provider calls can take, so a live resume never loses its lease. */
const LEASE_MARGIN_MS = 10_000;

/**
 * Resumes parked payments once their provider takes calls again (docs/decisions/0038): when its
 * circuit half-opens, one parked payment is the probe that decides; when it closes, the rest are
 * resumed in rounds; and a sweep every `parkSweepMs` catches what the events missed (a payment
 * parked by another process, a lease left by a process that died). Each payment is leased before
 * its provider is asked, so two processes never resume the same one, and asked under its own id's
 * idempotency key, so asking again after a crash replays the provider's first answer. The sweep
 * also declines, `provider_unavailable`, the parked payments whose deadline passed.
 */
@Injectable()
export class ParkedPaymentResumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ParkedPaymentResumer.name);
  private readonly leaseMs: number;
  private readonly sweepEveryMs: number;
  private readonly running = new Map<PaymentProviderName, Promise<void>>();
  /** Providers whose circuit let calls through again while a round of theirs ran: one more round follows. */
  private readonly again = new Set<PaymentProviderName>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    private readonly authorization: ProviderAuthorization,
    @Inject(PAYMENT_PROVIDERS) private readonly providers: PaymentProviders,
    @Inject(PAYMENTS_OPTIONS) options: PaymentsOptions,
  ) {
    this.leaseMs = options.retryAttempts * (options.providerTimeoutMs + MAX_RETRY_DELAY_MS) + LEASE_MARGIN_MS;
    this.sweepEveryMs = options.parkSweepMs;
    this.providers.onCallsAdmitted((provider) => void this.resume(provider));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.sweepEveryMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all([this.sweeping, ...this.running.values()]);
  }

  /** Declines the overdue parked payments, then resumes those of every provider that takes calls; one sweep at a time. */
  sweep(): Promise<void> {
    this.sweeping ??= this.declineOverdue()
      .then(() => Promise.all(PAYMENT_PROVIDER_NAMES.map((provider) => this.resume(provider))))
      .then(() => undefined)
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Resumes the provider's parked payments while its circuit lets calls through; one round at a time per provider. */
  resume(provider: PaymentProviderName): Promise<void> {
    const running = this.running.get(provider);
    if (running) {
      this.again.add(provider);
      return running;
    }
    const round = this.resumeWhileAdmitted(provider)
      .catch((error: unknown) => this.logger.error(`resuming the parked payments of ${provider} failed: ${describe(error)}`))
      .finally(() => {
        this.running.delete(provider);
        if (this.again.delete(provider) && !this.stopped) void this.resume(provider);
      });
    this.running.set(provider, round);
    return round;
  }

  private async resumeWhileAdmitted(provider: PaymentProviderName): Promise<void> {
    while (!this.stopped) {
      const circuit = this.providers.circuitOf(provider);
      if (circuit === 'open') return;
      // Half-open lets one call through: one payment is the probe, and its outcome closes the circuit or opens it again.
      const leased = await this.payments.leaseParked(provider, circuit === 'half-open' ? 1 : RESUME_BATCH, this.leaseMs);
      if (leased.length === 0) return;
      const answers = await Promise.all(leased.map(async (payment) => ({ orderId: payment.orderId, ...(await this.authorization.ask(targetOf(payment))) })));
      const toRelease = await this.unitOfWork.run((tx) => this.authorization.record(tx, answers));
      await this.authorization.release(toRelease);
      const resumed = answers.filter(({ outcome }) => outcome.kind !== 'unavailable' && outcome.kind !== 'timed-out').length;
      this.logger.log(`resumed ${resumed} of ${leased.length} parked payments at ${provider}`);
      // A probe's success closes the circuit, which starts the next round; still unavailable, the payments wait for the next chance.
      if (circuit === 'half-open' || resumed < leased.length) return;
    }
  }

  private async declineOverdue(): Promise<void> {
    try {
      for (let declined = EXPIRY_BATCH; declined === EXPIRY_BATCH && !this.stopped; ) {
        declined = await this.unitOfWork.run(async (tx) => {
          const overdue = await this.payments.lockOverdueParked(tx.manager, EXPIRY_BATCH);
          const now = new Date();
          for (const payment of overdue) {
            const settlement = payment.expireParking(now);
            if (settlement.kind === 'declined') tx.publish(new PaymentDeclinedV1({ orderId: payment.orderId, reason: settlement.reason }), payment.orderId);
          }
          await this.payments.saveMany(tx.manager, overdue.map((payment) => ({ payment, expectedStatus: 'PARKED' as const })));
          return overdue.length;
        });
        if (declined > 0) this.logger.warn(`declined ${declined} parked payments past their deadline: their provider stayed unavailable`);
      }
    } catch (error) {
      this.logger.error(`declining the overdue parked payments failed: ${describe(error)}`);
    }
  }
}

/** A parked payment has its amount, method, provider and sealed payment method. */
function targetOf(payment: Payment): AuthorizationTarget {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    amount: payment.amount!,
    method: payment.method!,
    provider: payment.provider!,
    instrument: payment.parking!.paymentMethod,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
