import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which process role's relays deliver an outbox row, for split deployments sharing a database;
 * and the lookup by message id that importing envelopes from another store's outbox needs.
 */
export class OutboxOrigin1767000000700 implements MigrationInterface {
  name = 'OutboxOrigin1767000000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messaging.outbox ADD COLUMN origin text`);
    await q.query(`CREATE INDEX outbox_message_id ON messaging.outbox (message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messaging.outbox_message_id`);
    await q.query(`ALTER TABLE messaging.outbox DROP COLUMN origin`);
  }
}
