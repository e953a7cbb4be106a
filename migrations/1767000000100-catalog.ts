import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `catalog` schema, owned by the catalog context. */
export class Catalog1767000000100 implements MigrationInterface {
  name = 'Catalog1767000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS catalog`);
    await q.query(`
      CREATE TABLE catalog.product (
        id uuid PRIMARY KEY,
        sku text NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        price_amount bigint NOT NULL,
        currency char(3) NOT NULL,
        popularity int NOT NULL DEFAULT 0,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT product_sku_unique UNIQUE (sku),
        CONSTRAINT product_sku_format CHECK (sku ~ '^[A-Za-z0-9._-]{1,64}$'),
        CONSTRAINT product_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
        CONSTRAINT product_description_length CHECK (char_length(description) <= 5000),
        CONSTRAINT product_category_length CHECK (char_length(category) BETWEEN 1 AND 100),
        CONSTRAINT product_price_range CHECK (price_amount BETWEEN 0 AND 1000000000000),
        CONSTRAINT product_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT product_popularity_not_negative CHECK (popularity >= 0),
        CONSTRAINT product_version_positive CHECK (version >= 1)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA catalog CASCADE`);
  }
}
