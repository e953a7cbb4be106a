import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { failpoints } from '../failpoints';
import { BackgroundWork } from '../persistence/background-work';
import { rowsOf } from '../persistence/sql';
import { failSpan, openSpan, SpanKind, traceparentOf } from '../observability/tracing';
import { backoffDelay } from '../resilience/backoff';
import { DeadLetterStore } from './dead-letter.store';
import { Envelope } from './envelope';
import { MESSAGE_TRANSPORT, MessageTransport } from './message-transport';
import { deferredDelayMs, describeError, isDeferred, isRetryable } from './messaging.errors';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { LeasedOutboxRow, LeasedRowsReceiver, OutboxWriter } from './outbox-writer';

const PRUNE_INTERVAL_MS = 60_000;
const PRUNE_BATCH = 10_000;
/** A delivery still under way after this many leases is presumed stuck: its rows' leases lapse, and another claim may take them. */
const MAX_RENEWED_LEASES = 10;

/**
 * Delivers committed outbox rows to the transport. The rows this process writes come leased to
 * this relay and are handed over in memory once their transaction committed (see OutboxWriter);
 * other rows (after a crash, retries due, imports) are claimed from the table, by the poller or
 * when such a write commits, in batches with a lease (`FOR UPDATE SKIP LOCKED`), so several relays
 * can share one outbox. A batch is handed to the transport whole (consumers handle it per context
 * in one transaction) and its rows are marked published in one statement, only after the
 * transport took them: at-least-once.
 * The leases of rows waiting or under delivery are renewed every third of a lease, for up to
 * MAX_RENEWED_LEASES leases, so only a relay that died or stalled (or a delivery that hung) loses
 * its rows to another claim, not one whose delivery is slow (a mint, a provider call).
 *
 * A claim waits while the relay's latest delivery is being handed over (see MessageTransport), for
 * up to `claimWaitMs`: the rows committed meanwhile then go together in the next claim, instead of
 * each commit making a claim, a delivery and a mark of its own. Under load the batches grow and
 * the statements and transactions of the message path shrink. Handlers that commit around a
 * remote call do not hold the next claim back, and nothing holds it back longer than `claimWaitMs`.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown, LeasedRowsReceiver {
  private readonly logger = new Logger(OutboxRelay.name);
  private inFlight = 0;
  private claiming = false;
  private claimAgain = false;
  /**
   * The last claim round may have left rows behind: it stopped at the in-flight bound, or rows
   * handed over wait, or its last claim came back full. Only then does a finished delivery start
   * another round; otherwise commits hand rows over and the poller covers the rest.
   */
  private behind = false;
  /** Whether the table may hold due rows no claim took yet: the poller, a retry, a write not leased here, or a full claim says so. */
  private tableDue = true;
  /** Rows written leased to this relay, committed, and waiting for room among the deliveries; in commit order. */
  private readonly handedOver: LeasedOutboxRow[] = [];
  /**
   * Set when more rows would wait for the relay than it delivers at once: the waiting rows are
   * given back to the table, and rows are written unleased, until a claim finds the table's due
   * rows drained. Claims take the table's rows in seq order, so a row never overtakes an older
   * one of its aggregate that waits in memory.
   */
  private overflowed = false;
  /** The statement giving waiting rows back to the table, while it runs: claims wait for it. */
  private givingBack?: Promise<void>;
  /** The latest delivery, while it is being handed over: when it started (ms). */
  private latestDelivery?: { startedAt: number };
  private claimWaitTimer?: NodeJS.Timeout;
  private stopped = true;
  private poller?: NodeJS.Timeout;
  private pruner?: NodeJS.Timeout;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Rows handed to the transport and not back from it yet: seq → until when their leases are renewed. */
  private readonly delivering = new Map<string, number>();
  private leaseRenewer?: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private drained?: () => void;
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly deadLetters: DeadLetterStore,
    @InjectMetric('outbox_lag_seconds') private readonly lag: Histogram,
    private readonly outbox: OutboxWriter,
  ) {
    outbox.deliversBy(this);
  }

  /**
   * Whether it takes `count` more rows written for it. Past as many as it delivers at once it
   * overflows, so that after a crash no more rows than that wait out a lease, and memory stays bounded.
   */
  accepts(count: number): boolean {
    if (this.stopped || this.overflowed) return false;
    if (this.handedOver.length + count <= this.options.maxInFlight) return true;
    this.overflow([]);
    return false;
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.poller = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.poller.unref();
    this.pruner = setInterval(() => {
      BackgroundWork.run(() => this.prune()).catch((error: unknown) => this.logger.warn(`outbox pruning: ${describeError(error)}`));
    }, PRUNE_INTERVAL_MS);
    this.pruner.unref();
    this.leaseRenewer = setInterval(() => {
      this.renewing ??= BackgroundWork.run(() => this.renewLeases()).finally(() => (this.renewing = undefined));
    }, Math.ceil(this.options.leaseMs / 3));
    this.leaseRenewer.unref();
    this.kick();
  }

  /** Stops claiming and waits for deliveries under way, so none is cut off half-handled. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    clearInterval(this.pruner);
    clearTimeout(this.claimWaitTimer);
    this.retryTimers.forEach(clearTimeout);
    await this.release(this.handedOver.splice(0));
    if (this.inFlight > 0 || this.claiming) {
      await Promise.race([
        new Promise<void>((resolve) => (this.drained = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, this.options.drainTimeoutMs).unref()),
      ]);
      if (this.inFlight > 0) this.logger.warn(`shutdown left ${this.inFlight} deliveries to the lease`);
    }
    clearInterval(this.leaseRenewer);
    await this.renewing;
  }

  /**
   * Deletes delivered outbox rows and inbox entries older than the retention, a bounded batch
   * at a time so no statement holds locks for long. Undelivered and dead rows stay.
   */
  async prune(): Promise<{ outbox: number; inbox: number }> {
    const retention = [this.options.retentionMs, PRUNE_BATCH];
    const outbox = rowsOf(
      await this.dataSource.query(
        `DELETE FROM messaging.outbox WHERE seq IN (
           SELECT seq FROM messaging.outbox
           WHERE published_at < now() - make_interval(secs => $1::float8 / 1000) LIMIT $2)
         RETURNING seq`,
        retention,
      ),
    ).length;
    const inbox = rowsOf(
      await this.dataSource.query(
        `DELETE FROM messaging.inbox WHERE (consumer, message_id) IN (
           SELECT consumer, message_id FROM messaging.inbox
           WHERE processed_at < now() - make_interval(secs => $1::float8 / 1000) LIMIT $2)
         RETURNING message_id`,
        retention,
      ),
    ).length;
    return { outbox, inbox };
  }

  /** Asks for a claim of the table's due rows now; coalesces with a round already running. */
  kick(): void {
    this.tableDue = true;
    this.startRound();
  }

  /** Takes rows written leased to this relay once they committed; without rows, rows are due in the table. */
  written(rows: readonly LeasedOutboxRow[]): void {
    if (rows.length === 0) return this.kick();
    if (this.stopped) {
      void this.release(rows);
      return;
    }
    if (this.overflowed || this.handedOver.length + rows.length > this.options.maxInFlight) return this.overflow(rows);
    // Their leases are renewed while they wait, as while they are delivered.
    const renewUntil = Date.now() + MAX_RENEWED_LEASES * this.options.leaseMs;
    for (const row of rows) {
      this.handedOver.push(row);
      this.delivering.set(row.seq, renewUntil);
    }
    this.startRound();
  }

  /** Gives the waiting rows and `rows` back to the table, and claims them from there. */
  private overflow(rows: readonly LeasedOutboxRow[]): void {
    this.overflowed = true;
    const given = [...this.handedOver.splice(0), ...rows];
    if (given.length === 0) return;
    const previous = this.givingBack;
    const givingBack = (async () => {
      await previous;
      await this.release(given);
    })();
    this.givingBack = givingBack;
    void givingBack.then(() => {
      if (this.givingBack === givingBack) this.givingBack = undefined;
      this.kick();
    });
  }

  /** Starts a claim round unless one is running, which then goes round again. */
  private startRound(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    // Deliveries are background work, whoever kicked (often a request that just committed).
    void BackgroundWork.run(() => this.claimRounds());
  }

  private async claimRounds(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.claimAgain = false;
        const limit = Math.min(this.options.batchSize, this.options.maxInFlight - this.inFlight);
        if (limit <= 0 || this.waitsForLatestDelivery()) {
          this.behind = true;
          break;
        }
        const rows = await this.nextRows(limit);
        if (rows.length > 0 && failpoints.armed) await failpoints.reach('after-outbox-claim');
        if (rows.length > 0) this.launch(rows);
        this.behind = this.handedOver.length > 0 || this.tableDue;
        if (this.behind) this.claimAgain = true;
      } while (this.claimAgain && !this.stopped);
    } catch (error) {
      this.logger.error(`outbox claim failed: ${describeError(error)}`);
    } finally {
      this.claiming = false;
      this.notifyIfDrained();
    }
  }

  /** Whether the latest delivery is still being handed over and younger than `claimWaitMs`; if so, a claim is due when that runs out. */
  private waitsForLatestDelivery(): boolean {
    if (!this.latestDelivery) return false;
    const remainingMs = this.latestDelivery.startedAt + this.options.claimWaitMs - Date.now();
    if (remainingMs <= 0) return false;
    if (!this.claimWaitTimer) {
      this.claimWaitTimer = setTimeout(() => {
        this.claimWaitTimer = undefined;
        this.startRound();
      }, remainingMs);
      this.claimWaitTimer.unref();
    }
    return true;
  }

  /**
   * The table's due rows first when it may hold some (they waited longer than rows just handed
   * over, and never starve behind them), else the rows handed over.
   */
  private async nextRows(limit: number): Promise<LeasedOutboxRow[]> {
    if (this.tableDue) {
      // Cleared before the claim, so that a kick during it counts.
      this.tableDue = false;
      const givingBack = this.givingBack;
      await givingBack;
      const claimed = await this.claim(limit);
      if (claimed.length === limit) this.tableDue = true;
      else if (this.givingBack === undefined && givingBack === undefined) this.overflowed = false;
      if (claimed.length > 0) return claimed;
    }
    return this.handedOver.splice(0, limit);
  }

  private async claim(limit: number): Promise<LeasedOutboxRow[]> {
    return rowsOf<LeasedOutboxRow>(
      // The due rows first in seq order, leased (migrations/1767000003900-outbox-undelivered-in-order.ts).
      await this.dataSource.query('SELECT seq, envelope, attempts, created_at FROM messaging.claim_outbox($1, $2, $3)', [
        this.options.leaseMs,
        limit,
        this.outbox.claimedOrigin,
      ]),
    ).sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  private launch(rows: LeasedOutboxRow[]): void {
    this.inFlight += rows.length;
    const delivery = { startedAt: Date.now() };
    this.latestDelivery = delivery;
    this.deliver(rows, () => {
      if (this.endClaimWait(delivery) && this.behind) this.startRound();
    })
      .catch((error: unknown) => this.logger.error(`outbox rows ${rows[0].seq}…: ${describeError(error)}`))
      .finally(() => {
        this.inFlight -= rows.length;
        this.endClaimWait(delivery);
        if (this.behind) this.startRound();
        this.notifyIfDrained();
      });
  }

  /** Ends the claims' wait for `delivery` if it is still the latest; answers whether it was. */
  private endClaimWait(delivery: { startedAt: number }): boolean {
    if (this.latestDelivery !== delivery) return false;
    this.latestDelivery = undefined;
    clearTimeout(this.claimWaitTimer);
    this.claimWaitTimer = undefined;
    return true;
  }

  private async deliver(rows: LeasedOutboxRow[], onHandedOver: () => void): Promise<void> {
    // The consumers' spans are children of these: each delivered envelope carries its span's traceparent.
    const spans = rows.map(({ envelope }) =>
      openSpan(`publish ${envelope.type}`, SpanKind.PRODUCER, envelope.traceparent, { 'messaging.message.id': envelope.id }),
    );
    const envelopes = rows.map(({ envelope }, i) => ({ ...envelope, traceparent: traceparentOf(spans[i]) ?? envelope.traceparent }));
    let failed: Map<Envelope, unknown>;
    const renewUntil = Date.now() + MAX_RENEWED_LEASES * this.options.leaseMs;
    rows.forEach((row) => this.delivering.set(row.seq, renewUntil));
    try {
      failed = await this.transport.publishBatch(envelopes, onHandedOver);
    } catch (error) {
      failed = new Map(envelopes.map((envelope) => [envelope, error]));
    } finally {
      for (const row of rows) {
        // Unless a later claim of the row (after this delivery hung) renews it now.
        if (this.delivering.get(row.seq) === renewUntil) this.delivering.delete(row.seq);
      }
    }
    if (failpoints.armed) await failpoints.reach('after-outbox-publish');
    const delivered: LeasedOutboxRow[] = [];
    const retries: Promise<void>[] = [];
    rows.forEach((row, i) => {
      if (failed.has(envelopes[i])) {
        const error = failed.get(envelopes[i]);
        failSpan(spans[i], error);
        retries.push(this.failed(row, error));
      } else {
        delivered.push(row);
      }
      spans[i].end();
    });
    await Promise.all([this.markPublished(delivered), ...retries]);
  }

  /**
   * Extends the leases of the rows under delivery. A row published, dead-lettered or set for a
   * retry meanwhile has no lease (`locked_until` NULL) and keeps none.
   */
  private async renewLeases(): Promise<void> {
    const now = Date.now();
    const seqs = [...this.delivering].filter(([, until]) => until > now).map(([seq]) => seq);
    if (seqs.length === 0) return;
    try {
      await this.dataSource.query(
        `UPDATE messaging.outbox SET locked_until = now() + make_interval(secs => $2::float8 / 1000)
         WHERE seq = ANY($1::bigint[]) AND locked_until IS NOT NULL AND published_at IS NULL AND dead_at IS NULL`,
        [seqs, this.options.leaseMs],
      );
    } catch (error) {
      this.logger.warn(`renewing the leases of ${seqs.length} outbox rows under delivery failed: ${describeError(error)}`);
    }
  }

  /** Gives up the leases of rows this relay will not deliver (it stops, or overflowed), so that a claim takes them at once. */
  private async release(rows: readonly LeasedOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    rows.forEach((row) => this.delivering.delete(row.seq));
    try {
      await this.dataSource.query(
        'UPDATE messaging.outbox SET locked_until = NULL WHERE seq = ANY($1::bigint[]) AND published_at IS NULL AND dead_at IS NULL',
        [rows.map((row) => row.seq)],
      );
    } catch (error) {
      this.logger.warn(`releasing ${rows.length} outbox rows left them to their leases: ${describeError(error)}`);
    }
  }

  private async markPublished(rows: readonly LeasedOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      'UPDATE messaging.outbox SET published_at = now(), locked_until = NULL WHERE seq = ANY($1::bigint[])',
      [rows.map((row) => row.seq)],
    );
    if (failpoints.armed) await failpoints.reach('after-outbox-mark');
    const now = Date.now();
    for (const row of rows) this.lag.observe((now - new Date(row.created_at).getTime()) / 1000);
  }

  private async failed(row: LeasedOutboxRow, error: unknown): Promise<void> {
    const reason = describeError(error);
    // A dependency known to be down is not the message's fault: it waits for it, its deliveries uncounted.
    const deferred = isDeferred(error);
    const attempts = deferred ? row.attempts : row.attempts + 1;
    if (!isRetryable(error) || attempts >= this.options.maxAttempts) {
      if (await this.deadLetters.fromOutbox(row.seq, row.envelope, error, attempts)) {
        this.logger.error(`dead-lettered ${row.envelope.type} ${row.envelope.id} after ${attempts} attempts: ${reason}`);
      }
      return;
    }
    const delay = deferred
      ? deferredDelayMs(error, { minMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs })
      : backoffDelay(attempts, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs });
    this.logger.warn(`retrying ${row.envelope.type} ${row.envelope.id} in ${delay} ms (attempt ${attempts}${deferred ? ', deferred' : ''}): ${reason}`);
    await this.dataSource.query(
      `UPDATE messaging.outbox SET attempts = $2, last_error = $3, locked_until = NULL,
         next_attempt_at = now() + make_interval(secs => $4::float8 / 1000)
       WHERE seq = $1 AND dead_at IS NULL AND published_at IS NULL`,
      [row.seq, attempts, reason, delay],
    );
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.kick();
    }, delay);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private notifyIfDrained(): void {
    if (this.stopped && this.inFlight === 0 && !this.claiming) this.drained?.();
  }
}
