import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Gauge, Histogram } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { CONTEXT_NAMES } from '../contracts/message';
import { rowsOf } from '../persistence/sql';
import { inSpan, SpanKind, traceparentOf } from '../observability/tracing';
import { backoffDelay } from '../resilience/backoff';
import { DeadLetterStore } from './dead-letter.store';
import { Envelope } from './envelope';
import { MESSAGE_TRANSPORT, MessageTransport } from './message-transport';
import { describeError, isRetryable } from './messaging.errors';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

const PRUNE_INTERVAL_MS = 60_000;
const PRUNE_BATCH = 10_000;

interface ClaimedRow {
  seq: string;
  envelope: Envelope;
  attempts: number;
  created_at: Date;
}

/**
 * Delivers committed outbox rows to the transport: at once when a transaction commits
 * (`kick`), and from a poller as a safety net after crashes and for scheduled retries.
 * Rows are claimed with a lease (`FOR UPDATE SKIP LOCKED`), so several relays can share one
 * outbox, and are marked published only after the transport took them: at-least-once.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private inFlight = 0;
  private claiming = false;
  private claimAgain = false;
  private stopped = true;
  private poller?: NodeJS.Timeout;
  private pruner?: NodeJS.Timeout;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private drained?: () => void;
  /**
   * This process' role: its hosted contexts. With a database shared by split processes, each
   * role's relays deliver that role's rows, so messages between processes really travel over
   * Kafka; a process hosting every context delivers any row (`claimedOrigin` null).
   */
  readonly origin: string;
  private readonly claimedOrigin: string | null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly deadLetters: DeadLetterStore,
    @InjectMetric('outbox_lag_seconds') private readonly lag: Histogram,
    @InjectMetric('outbox_pending_messages') private readonly pending: Gauge,
  ) {
    this.origin = [...options.hosted].sort().join(',');
    this.claimedOrigin = CONTEXT_NAMES.every((context) => options.hosted.includes(context)) ? null : this.origin;
  }

  /**
   * Writes envelopes to the outbox in the caller's transaction. `origin` names the process role
   * (its hosted contexts) whose relays deliver them; rows without one go to any relay.
   */
  static async enqueue(manager: EntityManager, envelopes: readonly Envelope[], origin: string | null = null): Promise<void> {
    if (envelopes.length === 0) return;
    const values: unknown[] = [];
    const rows = envelopes.map((e, i) => {
      values.push(e.id, e.type, e.version, e.aggregateId, JSON.stringify(e), origin);
      const p = i * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb, $${p + 6})`;
    });
    await manager.query(
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, origin) VALUES ${rows.join(', ')}`,
      values,
    );
  }


  onApplicationBootstrap(): void {
    this.stopped = false;
    this.poller = setInterval(() => this.poll(), this.options.pollIntervalMs);
    this.poller.unref();
    this.pruner = setInterval(() => {
      this.prune().catch((error: unknown) => this.logger.warn(`outbox pruning: ${describeError(error)}`));
    }, PRUNE_INTERVAL_MS);
    this.pruner.unref();
    this.kick();
  }

  /** Stops claiming and waits for deliveries under way, so none is cut off half-handled. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    clearInterval(this.pruner);
    this.retryTimers.forEach(clearTimeout);
    if (this.inFlight === 0 && !this.claiming) return;
    await Promise.race([
      new Promise<void>((resolve) => (this.drained = resolve)),
      new Promise<void>((resolve) => setTimeout(resolve, this.options.drainTimeoutMs).unref()),
    ]);
    if (this.inFlight > 0) this.logger.warn(`shutdown left ${this.inFlight} deliveries to the lease`);
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

  /** Asks for a claim round now; coalesces with one already running. */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    void this.claimRounds();
  }

  private poll(): void {
    this.kick();
    this.dataSource
      .query(`SELECT count(*)::int AS n FROM messaging.outbox WHERE published_at IS NULL AND dead_at IS NULL`)
      .then(([row]: { n: number }[]) => this.pending.set(row.n))
      .catch((error: unknown) => this.logger.warn(`outbox gauge: ${describeError(error)}`));
  }

  private async claimRounds(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.claimAgain = false;
        const capacity = this.options.maxInFlight - this.inFlight;
        if (capacity <= 0) break;
        const rows = await this.claim(capacity);
        rows.forEach((row) => this.launch(row));
        if (rows.length === capacity) this.claimAgain = true;
      } while (this.claimAgain && !this.stopped);
    } catch (error) {
      this.logger.error(`outbox claim failed: ${describeError(error)}`);
    } finally {
      this.claiming = false;
      this.notifyIfDrained();
    }
  }

  private async claim(limit: number): Promise<ClaimedRow[]> {
    return rowsOf<ClaimedRow>(
      await this.dataSource.query(
      `UPDATE messaging.outbox SET locked_until = now() + make_interval(secs => $1::float8 / 1000)
       WHERE seq IN (
         SELECT seq FROM messaging.outbox
         WHERE published_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()
           AND (locked_until IS NULL OR locked_until < now())
           AND ($3::text IS NULL OR origin IS NULL OR origin = $3)
         ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING seq, envelope, attempts, created_at`,
        [this.options.leaseMs, limit, this.claimedOrigin],
      ),
    );
  }

  private launch(row: ClaimedRow): void {
    this.inFlight++;
    this.deliver(row)
      .catch((error: unknown) => this.logger.error(`outbox row ${row.seq}: ${describeError(error)}`))
      .finally(() => {
        this.inFlight--;
        this.kick();
        this.notifyIfDrained();
      });
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const { envelope } = row;
    try {
      // The consumers' spans are children of this one: the delivered envelope carries its traceparent.
      await inSpan(`publish ${envelope.type}`, SpanKind.PRODUCER, envelope.traceparent, { 'messaging.message.id': envelope.id }, (span) =>
        this.transport.publish({ ...envelope, traceparent: traceparentOf(span) ?? envelope.traceparent }),
      );
    } catch (error) {
      await this.failed(row, error);
      return;
    }
    await this.dataSource.query(
      'UPDATE messaging.outbox SET published_at = now(), locked_until = NULL WHERE seq = $1',
      [row.seq],
    );
    this.lag.observe((Date.now() - new Date(row.created_at).getTime()) / 1000);
  }

  private async failed(row: ClaimedRow, error: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const reason = describeError(error);
    if (!isRetryable(error) || attempts >= this.options.maxAttempts) {
      this.logger.error(`dead-lettering ${row.envelope.type} ${row.envelope.id} after ${attempts} attempts: ${reason}`);
      await this.deadLetters.fromOutbox(row.seq, row.envelope, error, attempts);
      return;
    }
    const delay = backoffDelay(attempts, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs });
    this.logger.warn(`retrying ${row.envelope.type} ${row.envelope.id} in ${delay} ms (attempt ${attempts}): ${reason}`);
    await this.dataSource.query(
      `UPDATE messaging.outbox SET attempts = $2, last_error = $3, locked_until = NULL,
         next_attempt_at = now() + make_interval(secs => $4::float8 / 1000) WHERE seq = $1`,
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
