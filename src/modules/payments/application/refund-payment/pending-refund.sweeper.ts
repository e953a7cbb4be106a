import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RefundPendingError } from '../../domain/refund.errors';
import { RefundRepository } from '../../infrastructure/refund.repository';
import { RefundSettlement } from './refund-settlement';

/**
 * How long a refund stays PENDING before the sweep asks the provider again, and how often it looks:
 * far longer than a request's own provider calls take (PAYMENT_TIMEOUT_MS times the attempts).
 */
export const PENDING_REFUND_AGE_MS = 30_000;
/** Refunds asked again per sweep; the rest wait for the next. */
const SWEEP_BATCH = 100;

/**
 * Completes refunds left PENDING whose request was not repeated (the caller gave up after a 503,
 * or the process died between the steps), so their amount is not held for ever. The provider
 * replays a refund it made under the refund's key, and recording takes the payment's lock, so a
 * sweep racing a repeated request, or another process's sweep, settles each refund once.
 */
@Injectable()
export class PendingRefundSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PendingRefundSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly refunds: RefundRepository,
    private readonly settlement: RefundSettlement,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), PENDING_REFUND_AGE_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Asks the provider again for the refunds PENDING longer than PENDING_REFUND_AGE_MS; one sweep at a time. */
  sweep(): Promise<void> {
    this.running ??= this.settleStale().finally(() => (this.running = undefined));
    return this.running;
  }

  private async settleStale(): Promise<void> {
    try {
      for (const pending of await this.refunds.pendingFor(PENDING_REFUND_AGE_MS, SWEEP_BATCH)) {
        await this.settlement.settle(pending).catch((error: unknown) => {
          if (!(error instanceof RefundPendingError)) throw error;
          this.logger.warn(error.message);
        });
      }
    } catch (error) {
      this.logger.error(`the sweep of pending refunds failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
