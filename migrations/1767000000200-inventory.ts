import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `inventory` schema, owned by the inventory context. */
export class Inventory1767000000200 implements MigrationInterface {
  name = 'Inventory1767000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS inventory`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA inventory CASCADE`);
  }
}
