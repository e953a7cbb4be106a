import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `inventory.product`: the catalog's products as inventory heard of them from catalog events, so
 * stock can only be set for a product the catalog has. The catalog's tables are in another schema
 * and cannot be read here; the products that already have stock are the ones inventory knew of.
 */
export class InventoryProducts1767000000900 implements MigrationInterface {
  name = 'InventoryProducts1767000000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inventory.product (
        product_id uuid PRIMARY KEY,
        known_since timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO inventory.product (product_id) SELECT product_id FROM inventory.stock`);
    // Within the schema: no writer can stock a product that was not recorded first.
    await q.query(`
      ALTER TABLE inventory.stock ADD CONSTRAINT stock_product_known
        FOREIGN KEY (product_id) REFERENCES inventory.product (product_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inventory.stock DROP CONSTRAINT stock_product_known`);
    await q.query(`DROP TABLE inventory.product`);
  }
}
