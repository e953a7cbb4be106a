import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OutboxImport } from '../../../../libs/messaging';
import { MongoCatalog } from './mongo-catalog.models';

/** Safety net for copies a crash or an error left behind; commits wake the relay at once. */
const POLL_MS = 1_000;
const BATCH = 500;

/**
 * Moves the events committed with product changes from MongoDB's `catalog_outbox` into the
 * messaging outbox (Postgres), from where the messaging relay delivers them like any other.
 * Copy first, then delete: a crash in between copies again, and OutboxImport skips envelope
 * ids it holds, so each event is enqueued once. Several instances may copy at once for the
 * same reason.
 */
@Injectable()
export class MongoCatalogOutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MongoCatalogOutboxRelay.name);
  private stopped = true;
  private poller?: NodeJS.Timeout;
  private round?: Promise<void>;
  private copyAgain = false;

  constructor(
    private readonly catalog: MongoCatalog,
    private readonly outboxImport: OutboxImport,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.poller = setInterval(() => this.kick(), POLL_MS);
    this.poller.unref();
    this.kick();
  }

  /** Stops polling and lets a copy under way finish, before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    await this.round;
  }

  /** Asks for a copy round now; coalesces with one already running. */
  kick(): void {
    if (this.stopped) return;
    if (this.round) {
      this.copyAgain = true;
      return;
    }
    this.round = this.copyRounds().finally(() => (this.round = undefined));
  }

  private async copyRounds(): Promise<void> {
    try {
      do {
        this.copyAgain = false;
        while ((await this.copyBatch()) === BATCH && !this.stopped);
      } while (this.copyAgain && !this.stopped);
    } catch (error) {
      this.logger.warn(`copying catalog events to the outbox failed, retrying on the next poll: ${String(error)}`);
    }
  }

  /** Returns how many events it moved. */
  private async copyBatch(): Promise<number> {
    const batch = await this.catalog.outbox.find().sort({ _id: 1 }).limit(BATCH).lean();
    if (batch.length === 0) return 0;
    await this.outboxImport.enqueue(batch.map((document) => document.envelope));
    await this.catalog.outbox.deleteMany({ _id: { $in: batch.map((document) => document._id) } });
    return batch.length;
  }
}
