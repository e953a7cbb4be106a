import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CONTEXT_NAMES } from '../contracts/message';
import { columnsOf } from '../persistence/sql';
import { Envelope } from './envelope';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

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
       SELECT id, type, version, aggregate_id, envelope::jsonb, $6
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[])
         WITH ORDINALITY AS e(id, type, version, aggregate_id, envelope, position)
       ORDER BY position`,
      [...columnsOf(envelopes, (e) => [e.id, e.type, e.version, e.aggregateId, JSON.stringify(e)]), origin],
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
