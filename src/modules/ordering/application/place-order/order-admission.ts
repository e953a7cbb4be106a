import { Inject, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { OverCapacityException } from '../../../../../libs/http';
import { outboxDeliveryLagMs } from '../../../../../libs/messaging';
import { OrderSagaRepository } from '../../infrastructure/order-saga.repository';

export const ADMISSION_OPTIONS = Symbol('ADMISSION_OPTIONS');

export interface AdmissionOptions {
  /** Orders placed but not yet decided above which new orders are refused. */
  maxUndecided: number;
  /** Age of the oldest undelivered message above which new orders are refused. */
  maxDeliveryLagMs: number;
}

/** How long a reading of the backlog is trusted; admissions since are counted on top of it. */
const READING_TTL_MS = 100;
const MAX_RETRY_AFTER_S = 30;

interface Reading {
  undecided: number;
  deliveryLagMs: number;
  at: number;
}

/**
 * Admission control for new orders: past the bound on undecided orders or on delivery lag,
 * `POST /orders` answers 503 with Retry-After instead of accepting an order that would wait
 * behind the backlog until its saga deadline. The backlog is read at most every 100 ms; orders
 * admitted since the last reading count towards the bound, so a burst cannot overshoot it.
 */
@Injectable()
export class OrderAdmission {
  private reading: Reading = { undecided: 0, deliveryLagMs: 0, at: 0 };
  private admittedSinceReading = 0;
  private pendingReading?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sagas: OrderSagaRepository,
    @Inject(ADMISSION_OPTIONS) private readonly options: AdmissionOptions,
    @InjectMetric('orders_refused_total') private readonly refused: Counter,
  ) {}

  /**
   * Undefined when a new order may be placed now (it then counts towards the bound), else the
   * refusal to answer it with; `refuse` counts and throws it.
   */
  async refusal(): Promise<OverCapacityException | undefined> {
    if (Date.now() - this.reading.at > READING_TTL_MS) {
      this.pendingReading ??= this.read().finally(() => (this.pendingReading = undefined));
      await this.pendingReading;
    }
    const undecided = this.reading.undecided + this.admittedSinceReading;
    const { deliveryLagMs } = this.reading;
    if (undecided >= this.options.maxUndecided || deliveryLagMs > this.options.maxDeliveryLagMs) {
      // Roughly when the backlog ahead will have moved on: the delivery lag, at least a second.
      const retryAfter = Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(deliveryLagMs / 1000)));
      return new OverCapacityException(
        `Too many orders are waiting to be decided (${undecided} undecided, delivery ${Math.round(deliveryLagMs)} ms behind); try again later`,
        retryAfter,
      );
    }
    this.admittedSinceReading++;
    return undefined;
  }

  refuse(refusal: OverCapacityException): never {
    this.refused.inc();
    throw refusal;
  }

  private async read(): Promise<void> {
    const [undecided, deliveryLagMs] = await Promise.all([
      this.sagas.countRunning(this.dataSource.manager),
      outboxDeliveryLagMs(this.dataSource),
    ]);
    this.reading = { undecided, deliveryLagMs, at: Date.now() };
    this.admittedSinceReading = 0;
  }
}
