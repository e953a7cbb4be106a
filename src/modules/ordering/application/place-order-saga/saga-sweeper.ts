import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { describeError } from '../../../../../libs/messaging';
import { PeriodicWork } from '../../../../../libs/persistence';
import { OrderSagaRepository } from '../../infrastructure/order-saga.repository';
import { ExpireOrderSagaCommand, RedriveOrderSagaCommand } from './saga.commands';
import { SAGA_OPTIONS, SagaOptions } from './saga-options';
import { SAGA_TRAFFIC } from './saga-traffic';

const BATCH = 100;

/**
 * Scheduled job: ends sagas whose deadline passed (a missing reply counts as a rejection), and
 * re-sends the requests of orders PENDING longer than the re-drive threshold and the capture or
 * stock commit of CONFIRMED orders not acknowledged in that time.
 */
@Injectable()
export class SagaSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SagaSweeper.name);
  private readonly job: PeriodicWork;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sagas: OrderSagaRepository,
    private readonly commandBus: CommandBus,
    scheduler: SchedulerRegistry,
    @Inject(SAGA_OPTIONS) private readonly options: SagaOptions,
  ) {
    this.job = new PeriodicWork(scheduler, SagaSweeper.name);
  }

  onApplicationBootstrap(): void {
    this.job.start(this.options.sweepIntervalMs, () => this.sweep());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  async sweep(): Promise<void> {
    try {
      for (const orderId of await this.sagas.findExpired(this.dataSource.manager, BATCH, SAGA_TRAFFIC)) {
        await this.commandBus.execute(new ExpireOrderSagaCommand(orderId));
      }
      const stalled = [
        ...(await this.sagas.findStalled(this.dataSource.manager, this.options.redriveAfterMs, BATCH, SAGA_TRAFFIC)),
        ...(await this.sagas.findUnacknowledged(this.dataSource.manager, this.options.redriveAfterMs, BATCH, SAGA_TRAFFIC)),
      ];
      for (const orderId of stalled) await this.commandBus.execute(new RedriveOrderSagaCommand(orderId));
    } catch (error) {
      this.logger.error(`saga sweep failed: ${describeError(error)}`);
    }
  }
}
