import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { DeadLetterStore, describeError } from '../../../../../libs/messaging';
import { BackgroundWork, PeriodicWork } from '../../../../../libs/persistence';
import { backoffDelay } from '../../../../../libs/resilience';
import { Notification } from '../../domain/notification';
import { NotificationRepository } from '../../infrastructure/notification.repository';
import { NOTIFICATIONS_OPTIONS, type NotificationsOptions } from '../../notifications.options';
import { NOTIFICATION_SENDERS, type NotificationSenders, SendFailedError, type SendOutcome } from '../ports/notification-sender';

/** What became of one send: the channel's answer, or what it threw. */
type Outcome = SendOutcome | { sent: false; error: unknown };

/**
 * Sends queued notifications of every channel, each by its channel's sender, outside any transaction: woken when one is recorded, and every
 * `pollIntervalMs` for retries and for rows whose worker died (their lease ran out). A batch is
 * claimed with a lease, sent at once, and each row then marked SENT, NOT_SENT, due again after
 * a backoff (the channel was down or busy), or FAILED and dead-lettered (refused for good, or
 * out of attempts). A crash between a send and its mark sends that notification again once the
 * lease runs out: at least once, never lost.
 */
@Injectable()
export class NotificationDelivery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDelivery.name);
  private readonly poller: PeriodicWork;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private running?: Promise<void>;
  private again = false;
  private stopped = true;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLetterStore,
    @Inject(NOTIFICATION_SENDERS) private readonly senders: NotificationSenders,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    scheduler: SchedulerRegistry,
  ) {
    this.poller = new PeriodicWork(scheduler, NotificationDelivery.name);
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.poller.start(this.options.pollIntervalMs, () => this.deliverDue());
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.retryTimers.forEach(clearTimeout);
    await this.poller.stop();
    await this.running;
  }

  /** Asks for a round now; one already under way goes round again instead. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = BackgroundWork.run(() => this.rounds()).finally(() => (this.running = undefined));
  }

  /** Sends every notification due now, batch after batch; resolves when none is left. */
  deliverDue(): Promise<void> {
    this.kick();
    return this.running ?? Promise.resolve();
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      try {
        const claimed = await this.notifications.claimDue(this.options.batchSize, this.options.leaseMs);
        if (claimed.length === 0) continue;
        const outcomes = await Promise.all(claimed.map((notification) => this.send(notification)));
        await this.record(claimed, outcomes);
        if (claimed.length === this.options.batchSize) this.again = true;
      } catch (error) {
        this.logger.error(`notification delivery round failed: ${describeError(error)}`);
      }
    } while (this.again && !this.stopped);
  }

  private async send(notification: Notification): Promise<Outcome> {
    const { id, channel, orderId, customerId, recipient, template, subject, body, html, resends } = notification;
    try {
      if (recipient === null) throw new SendFailedError('no recipient', true);
      // Retries of a delivery share its key; each resend is a delivery of its own.
      const deliveryKey = `notification-${id}-${resends}`;
      return await this.senders[channel].send({ notificationId: id, deliveryKey, channel, orderId, customerId, recipient, template, subject, body, html });
    } catch (error) {
      return { sent: false, error };
    }
  }

  /**
   * One statement for the sent and one for the deliberately unsent: a batch must not take a
   * database connection per notification from the requests and the message relay.
   */
  private async record(claimed: readonly Notification[], outcomes: readonly Outcome[]): Promise<void> {
    const failures: [Notification, unknown][] = [];
    const sent: string[] = [];
    const notSent: { id: string; reason: string }[] = [];
    claimed.forEach((notification, i) => {
      const outcome = outcomes[i];
      if (outcome.sent) sent.push(notification.id);
      else if ('reason' in outcome) notSent.push({ id: notification.id, reason: outcome.reason });
      else failures.push([notification, outcome.error]);
    });
    await this.notifications.markSent(sent);
    await this.notifications.markNotSent(notSent);
    for (const [notification, error] of failures) await this.failed(notification, error);
  }

  private async failed(notification: Notification, error: unknown): Promise<void> {
    const reason = describeError(error);
    const permanent = error instanceof SendFailedError && error.permanent;
    if (!permanent && notification.attempts < this.options.maxAttempts) {
      const delay = backoffDelay(notification.attempts, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs });
      this.logger.warn(`notification ${notification.id}: attempt ${notification.attempts} failed, again in ${delay} ms: ${reason}`);
      await this.notifications.scheduleRetry(notification.id, reason, delay);
      this.wakeAfter(delay);
      return;
    }
    this.logger.error(`notification ${notification.id} failed after ${notification.attempts} attempts: ${reason}`);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.notifications.markFailed(manager, notification.id, reason))) return;
      await this.deadLetters.fromDelivery(manager, {
        source: `notifications:${notification.channel}`,
        subjectId: notification.id,
        type: `notifications.${notification.channel}.${notification.template}`,
        consumer: `notifications/${notification.channel}`,
        error: reason,
        attempts: notification.attempts,
        details: { notificationId: notification.id, orderId: notification.orderId, customerId: notification.customerId, template: notification.template },
      });
    });
  }

  /** Retries are due sooner than the next poll may come. */
  private wakeAfter(delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.kick();
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }
}
