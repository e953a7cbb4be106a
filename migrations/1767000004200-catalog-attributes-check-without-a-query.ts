import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `catalog.product`'s attribute rules, the same rules as a PL/pgSQL loop: the SQL function ran as a
 * query of its own each time PostgreSQL checked it, on every insert and every update of a product
 * (marking it indexed too), about 30 µs a product here, half of it the query and a bounded regular
 * expression per key. The loop keeps its plan, and stops at the first key that breaks a rule.
 */
export class CatalogAttributesCheckWithoutAQuery1767000004200 implements MigrationInterface {
  name = 'CatalogAttributesCheckWithoutAQuery1767000004200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION catalog.attributes_valid(attributes jsonb) RETURNS boolean
      LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
          attribute_key text;
          attribute_value jsonb;
          keys int := 0;
        BEGIN
          IF jsonb_typeof(attributes) <> 'object' THEN RETURN false; END IF;
          FOR attribute_key, attribute_value IN SELECT e.key, e.value FROM jsonb_each(attributes) AS e LOOP
            keys := keys + 1;
            IF keys > 50 OR char_length(attribute_key) > 64 OR attribute_key !~ '^[A-Za-z0-9_-]+$' THEN RETURN false; END IF;
            CASE jsonb_typeof(attribute_value)
              WHEN 'string' THEN
                IF char_length(attribute_value #>> '{}') > 500 THEN RETURN false; END IF;
              WHEN 'number', 'boolean' THEN NULL;
              ELSE RETURN false;
            END CASE;
          END LOOP;
          RETURN true;
        END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION catalog.attributes_valid(attributes jsonb) RETURNS boolean
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN jsonb_typeof(attributes) <> 'object' THEN false ELSE
          (SELECT count(*) <= 50 AND bool_and(
             key ~ '^[A-Za-z0-9_-]{1,64}$'
             AND jsonb_typeof(value) IN ('string', 'number', 'boolean')
             AND (jsonb_typeof(value) <> 'string' OR char_length(value #>> '{}') <= 500))
           FROM jsonb_each(attributes)) IS NOT false
        END
      $$`);
  }
}
