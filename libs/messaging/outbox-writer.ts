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

/**
 * Writes envelopes to the outbox inside the caller's transaction and, once that committed, tells
 * the relay there is work. Separate from the relay so that writers (units of work, which consumers
 * also use) do not depend on the relay, which depends on the consumers through its transport.
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
  private readonly listeners: (() => void)[] = [];

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingOptions) {
    this.origin = [...options.hosted].sort().join(',');
    this.claimedOrigin = CONTEXT_NAMES.every((context) => options.hosted.includes(context)) ? null : this.origin;
  }

  /** Writes the envelopes in the caller's transaction, with this process' role as their origin. */
  async enqueue(manager: EntityManager, envelopes: readonly Envelope[], origin: string | null = this.origin): Promise<void> {
    if (envelopes.length === 0) return;
    // One statement text whatever the count; `seq` follows the given order (per-aggregate order).
    await manager.query(
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, origin)
       SELECT message_id, type, version, aggregate_id, envelope, origin FROM (${OUTBOX_ROWS_OF_ENVELOPES}) e
       ORDER BY position`,
      [JSON.stringify(envelopes), origin],
    );
  }

  /** Call after the transaction that enqueued committed. */
  written(): void {
    this.listeners.forEach((listener) => listener());
  }

  onWritten(listener: () => void): void {
    this.listeners.push(listener);
  }
}
