import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `ordering` schema, owned by the ordering context. */
export class Ordering1767000000500 implements MigrationInterface {
  name = 'Ordering1767000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS ordering`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA ordering CASCADE`);
  }
}
