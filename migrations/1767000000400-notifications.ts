import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `notifications` schema, owned by the notifications context. */
export class Notifications1767000000400 implements MigrationInterface {
  name = 'Notifications1767000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS notifications`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA notifications CASCADE`);
  }
}
