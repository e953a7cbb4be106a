import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog as CQRS: products gain free attributes, an active/archived status and an indexing
 * status; the search read model `catalog.product_search` is added (weighted full-text
 * document, keyset sort indexes, and a trigram index on the name where pg_trgm is available)
 * and filled from the products that already exist.
 */
export class CatalogSearch1767000000600 implements MigrationInterface {
  name = 'CatalogSearch1767000000600';

  async up(q: QueryRunner): Promise<void> {
    // A CHECK cannot hold a subquery; an immutable function can. Mirrors the domain's attribute rules.
    await q.query(`
      CREATE FUNCTION catalog.attributes_valid(attributes jsonb) RETURNS boolean
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN jsonb_typeof(attributes) <> 'object' THEN false ELSE
          (SELECT count(*) <= 50 AND bool_and(
             key ~ '^[A-Za-z0-9_-]{1,64}$'
             AND jsonb_typeof(value) IN ('string', 'number', 'boolean')
             AND (jsonb_typeof(value) <> 'string' OR char_length(value #>> '{}') <= 500))
           FROM jsonb_each(attributes)) IS NOT false
        END
      $$`);
    await q.query(`
      ALTER TABLE catalog.product
        ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN status text NOT NULL DEFAULT 'active',
        ADD COLUMN indexing_status text NOT NULL DEFAULT 'pending',
        ADD COLUMN indexed_at timestamptz,
        ADD COLUMN indexing_error text,
        ADD CONSTRAINT product_attributes_valid CHECK (catalog.attributes_valid(attributes)),
        ADD CONSTRAINT product_status_known CHECK (status IN ('active', 'archived')),
        ADD CONSTRAINT product_indexing_status_known CHECK (indexing_status IN ('pending', 'indexed', 'failed'))`);
    await q.query(`
      CREATE TABLE catalog.product_search (
        product_id uuid PRIMARY KEY,
        sku text NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        price_amount bigint NOT NULL,
        currency char(3) NOT NULL,
        popularity int NOT NULL,
        attributes jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        indexed_version int NOT NULL,
        document tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', description), 'B')
        ) STORED
      )`);
    await q.query(`CREATE INDEX product_search_document ON catalog.product_search USING gin (document)`);
    await q.query(`CREATE INDEX product_search_category_price ON catalog.product_search (category, price_amount)`);
    // Keyset sorts: (key, product_id) in both directions, the id breaking ties.
    await q.query(`CREATE INDEX product_search_price ON catalog.product_search (price_amount, product_id)`);
    await q.query(`CREATE INDEX product_search_popularity ON catalog.product_search (popularity, product_id)`);
    await q.query(`CREATE INDEX product_search_created ON catalog.product_search (created_at, product_id)`);
    await q.query(`
      INSERT INTO catalog.product_search
        (product_id, sku, name, description, category, price_amount, currency, popularity, attributes,
         created_at, indexed_version)
      SELECT id, sku, name, description, category, price_amount, currency, popularity, attributes, created_at, version
      FROM catalog.product`);
    await q.query(`UPDATE catalog.product SET indexing_status = 'indexed', indexed_at = now()`);
    // Typo tolerance needs pg_trgm, which a server may lack (or the role may not create): search
    // then matches prefixes only. The exception block keeps a failure from aborting the migration.
    await q.query(`
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
      EXCEPTION WHEN others THEN
        RAISE NOTICE 'pg_trgm unavailable (%): product search matches prefixes only', SQLERRM;
      END $$`);
    await q.query(`
      DO $$
      DECLARE trigram_schema name;
      BEGIN
        SELECT n.nspname INTO trigram_schema
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
        IF trigram_schema IS NOT NULL THEN
          EXECUTE format(
            'CREATE INDEX product_search_name_trgm ON catalog.product_search USING gin (name %I.gin_trgm_ops)',
            trigram_schema);
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE catalog.product_search`);
    await q.query(`
      ALTER TABLE catalog.product
        DROP COLUMN attributes, DROP COLUMN status, DROP COLUMN indexing_status, DROP COLUMN indexed_at,
        DROP COLUMN indexing_error`);
    await q.query(`DROP FUNCTION catalog.attributes_valid(jsonb)`);
  }
}
