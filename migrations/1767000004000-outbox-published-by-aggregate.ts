import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finds an aggregate's messages that were published and may not be handled yet, and whether a
 * message was dead-lettered: the saga sweeper asks before it expires or re-drives an order whose
 * requests or replies may be queued at the broker.
 */
export class OutboxPublishedByAggregate1767000004000 implements MigrationInterface {
  name = 'OutboxPublishedByAggregate1767000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX outbox_published_aggregate ON messaging.outbox (aggregate_id) WHERE published_at IS NOT NULL AND dead_at IS NULL`,
    );
    await q.query(`CREATE INDEX dead_letter_message_id ON messaging.dead_letter (message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messaging.dead_letter_message_id`);
    await q.query(`DROP INDEX messaging.outbox_published_aggregate`);
  }
}
