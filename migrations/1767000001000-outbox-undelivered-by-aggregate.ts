import { MigrationInterface, QueryRunner } from 'typeorm';

/** Finds an aggregate's messages still on their way (the saga sweeper asks before it expires or re-drives an order). */
export class OutboxUndeliveredByAggregate1767000001000 implements MigrationInterface {
  name = 'OutboxUndeliveredByAggregate1767000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX outbox_undelivered_aggregate ON messaging.outbox (aggregate_id) WHERE published_at IS NULL AND dead_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messaging.outbox_undelivered_aggregate`);
  }
}
