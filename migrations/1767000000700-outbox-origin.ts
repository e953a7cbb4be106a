import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which process role's relays deliver an outbox row, for split deployments sharing a database. */
export class OutboxOrigin1767000000700 implements MigrationInterface {
  name = 'OutboxOrigin1767000000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messaging.outbox ADD COLUMN origin text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messaging.outbox DROP COLUMN origin`);
  }
}
