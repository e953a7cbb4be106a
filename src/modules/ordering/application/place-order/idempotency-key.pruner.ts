import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { describeError } from '../../../../../libs/messaging';
import { BackgroundWork } from '../../../../../libs/persistence';
import { IdempotencyKeyRepository } from '../../infrastructure/idempotency-key.repository';

const PRUNE_EVERY_MS = 10 * 60 * 1000;

/** Scheduled job: forgets Idempotency-Keys past their 24 hours, so the table stays the size of a day. */
@Injectable()
export class IdempotencyKeyPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPruner.name);
  private pruning?: Promise<void>;

  constructor(
    private readonly keys: IdempotencyKeyRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => {
      this.pruning ??= BackgroundWork.run(() => this.prune()).finally(() => (this.pruning = undefined));
    }, PRUNE_EVERY_MS);
    this.scheduler.addInterval(IdempotencyKeyPruner.name, timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler.deleteInterval(IdempotencyKeyPruner.name);
    await this.pruning;
  }

  private async prune(): Promise<void> {
    try {
      const pruned = await this.keys.prune();
      if (pruned > 0) this.logger.log(`forgot ${pruned} expired Idempotency-Keys`);
    } catch (error) {
      this.logger.error(`pruning Idempotency-Keys failed: ${describeError(error)}`);
    }
  }
}
