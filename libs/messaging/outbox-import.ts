import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Envelope } from './envelope';
import { OUTBOX_ROWS_OF_ENVELOPES, OutboxWriter } from './outbox-writer';

/** Advisory lock key (bigint key space) that serialises imports, so two cannot both miss one id. */
const IMPORT_LOCK = 7_267_004_316_532_271_104n;

/**
 * Enqueues envelopes that were committed elsewhere (a store with its own outbox, in another
 * database) into the messaging outbox, where the relay delivers, retries and dead-letters them
 * like any other. Idempotent by envelope id: one the outbox holds already is skipped, so a
 * copier that crashed after enqueuing but before forgetting its copies can simply enqueue again.
 * Provided by the module that copies; the rows are this process' to deliver (as UnitOfWork's
 * are), and its relay is woken at once.
 */
@Injectable()
export class OutboxImport {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Returns the ids it enqueued: those the outbox did not hold yet, in the given order. */
  async enqueue(envelopes: readonly Envelope[]): Promise<string[]> {
    const unique = [...new Map(envelopes.map((e) => [e.id, e])).values()];
    if (unique.length === 0) return [];
    const rows: { message_id: string }[] = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [IMPORT_LOCK.toString()]);
      return manager.query(
        `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, origin)
         SELECT e.message_id, e.type, e.version, e.aggregate_id, e.envelope, e.origin FROM (${OUTBOX_ROWS_OF_ENVELOPES}) e
         WHERE NOT EXISTS (SELECT 1 FROM messaging.outbox o WHERE o.message_id = e.message_id)
         ORDER BY e.position
         RETURNING message_id`,
        [JSON.stringify(unique), this.outbox.origin],
      );
    });
    if (rows.length > 0) this.outbox.written();
    return rows.map((row) => row.message_id);
  }
}
