import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `catalog` schema, owned by the catalog context. */
export class Catalog1767000000100 implements MigrationInterface {
  name = 'Catalog1767000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS catalog`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA catalog CASCADE`);
  }
}
