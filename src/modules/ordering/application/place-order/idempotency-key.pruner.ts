import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { describeError } from '../../../../../libs/messaging';
import { PeriodicWork } from '../../../../../libs/persistence';
import { IdempotencyKeyRepository } from '../../infrastructure/idempotency-key.repository';

const PRUNE_EVERY_MS = 10 * 60 * 1000;

/** Scheduled job: forgets Idempotency-Keys past their 24 hours, so the table stays the size of a day. */
@Injectable()
export class IdempotencyKeyPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPruner.name);
  private readonly job: PeriodicWork;

  constructor(
    private readonly keys: IdempotencyKeyRepository,
    scheduler: SchedulerRegistry,
  ) {
    this.job = new PeriodicWork(scheduler, IdempotencyKeyPruner.name);
  }

  onApplicationBootstrap(): void {
    this.job.start(PRUNE_EVERY_MS, () => this.prune());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
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
