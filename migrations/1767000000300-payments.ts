import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `payments` schema, owned by the payments context. */
export class Payments1767000000300 implements MigrationInterface {
  name = 'Payments1767000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS payments`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA payments CASCADE`);
  }
}
