import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `inventory` schema, owned by the inventory context: stock levels and per-order reservations. */
export class Inventory1767000000200 implements MigrationInterface {
  name = 'Inventory1767000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS inventory`);
    // The CHECKs are the last line against overselling: no interleaving of writers can commit
    // a negative stock or more reserved than is on hand.
    await q.query(`
      CREATE TABLE inventory.stock (
        product_id uuid PRIMARY KEY,
        on_hand int NOT NULL CONSTRAINT stock_on_hand_not_negative CHECK (on_hand >= 0),
        reserved int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stock_reserved_within_on_hand CHECK (reserved >= 0 AND reserved <= on_hand)
      )`);
    // One row per order, whatever happened to it: the row is what makes every command on an
    // order idempotent, and a RELEASED row written before any reservation blocks a late one.
    await q.query(`
      CREATE TABLE inventory.reservation (
        order_id uuid PRIMARY KEY,
        status text NOT NULL
          CONSTRAINT reservation_status_known CHECK (status IN ('RESERVED', 'COMMITTED', 'RELEASED', 'REJECTED')),
        lines jsonb NOT NULL CONSTRAINT reservation_lines_array CHECK (jsonb_typeof(lines) = 'array'),
        reason text,
        rejected_product_ids text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reservation_reason_iff_rejected CHECK ((status = 'REJECTED') = (reason IS NOT NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA inventory CASCADE`);
  }
}
