import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CONTEXT_NAMES } from '../contracts/message';
import { Envelope } from './envelope';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

/**
 * The outbox rows of `$1`, one JSON array of envelopes, with `$2` as their origin; `position` is
 * the envelope's place in the array. One JSON text is serialised natively and parsed once by
 * PostgreSQL, where an array of JSON texts is escaped element by element on both sides.
 */
export const OUTBOX_ROWS_OF_ENVELOPES = `SELECT (x.envelope->>'id')::uuid AS message_id, x.envelope->>'type' AS type,
         (x.envelope->>'version')::int AS version, x.envelope->>'aggregateId' AS aggregate_id, x.envelope,
         $2::text AS origin, x.position
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(envelope, position)`;

/** An outbox row this process' relay holds the lease of: written leased, or claimed. */
export interface LeasedOutboxRow {
  seq: string;
  envelope: Envelope;
  attempts: number;
  created_at: Date;
}

/** What delivers the rows a writer hands over (the outbox relay). */
export interface LeasedRowsReceiver {
  /** Whether it will deliver `count` rows written now, once their transaction committed. */
  accepts(count: number): boolean;
  /** Takes the rows written leased to it, once their transaction committed; none: rows are due in the table. */
  written(rows: readonly LeasedOutboxRow[]): void;
}

/**
 * Writes envelopes to the outbox inside the caller's transaction and, once that committed, hands
 * them to the relay. Separate from the relay so that writers (units of work, which consumers also
 * use) do not depend on the relay, which depends on the consumers through its transport.
 *
 * Rows this process' relay delivers are written leased to it and handed over in memory after the
 * commit: no claim reads them back (a third write of each message, beside the insert and the
 * mark). After a crash they wait out their lease, as claimed rows do, and another relay claims them.
 */
@Injectable()
export class OutboxWriter {
  /**
   * This process' role: its hosted contexts. With a database shared by split processes, each
   * role's relays deliver that role's rows, so messages between processes really travel over
   * Kafka; a process hosting every context delivers any row (`claimedOrigin` null).
   */
  readonly origin: string;
  readonly claimedOrigin: string | null;
  private receiver?: LeasedRowsReceiver;

  constructor(@Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions) {
    this.origin = [...options.hosted].sort().join(',');
    this.claimedOrigin = CONTEXT_NAMES.every((context) => options.hosted.includes(context)) ? null : this.origin;
  }

  /**
   * Writes the envelopes in the caller's transaction, with this process' role as their origin.
   * Answers the rows written leased to this process' relay: hand them to `written` once committed.
   */
  async enqueue(manager: EntityManager, envelopes: readonly Envelope[], origin: string | null = this.origin): Promise<LeasedOutboxRow[]> {
    if (envelopes.length === 0) return [];
    const text = JSON.stringify(envelopes);
    const leased = (this.claimedOrigin === null || origin === this.claimedOrigin) && this.receiver?.accepts(envelopes.length) === true;
    // One statement text whatever the count; `seq` follows the given order (per-aggregate order).
    // A lease runs from the insert, the transaction's last statement, not from the transaction's start.
    const rows = await manager.query<{ seq: string; created_at: Date }[]>(
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, origin, locked_until)
       SELECT message_id, type, version, aggregate_id, envelope, origin,
              clock_timestamp() + make_interval(secs => $3::float8 / 1000)
       FROM (${OUTBOX_ROWS_OF_ENVELOPES}) e
       ORDER BY position
       RETURNING seq, created_at`,
      [text, origin, leased ? this.options.leaseMs : null],
    );
    if (!leased) return [];
    // The relay's own copies, as a claim would read them: nothing the writer keeps is shared with consumers.
    const copies = JSON.parse(text) as Envelope[];
    return rows
      .sort((a, b) => Number(a.seq) - Number(b.seq))
      .map((row, i) => ({ seq: row.seq, envelope: copies[i], attempts: 0, created_at: row.created_at }));
  }

  /** Call after the transaction that enqueued committed, with the leased rows `enqueue` answered. */
  written(rows: readonly LeasedOutboxRow[] = []): void {
    this.receiver?.written(rows);
  }

  deliversBy(receiver: LeasedRowsReceiver): void {
    this.receiver = receiver;
  }
}
