import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `ordering` schema: the order event store, its read model, the saga and a price replica. */
export class Ordering1767000000500 implements MigrationInterface {
  name = 'Ordering1767000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS ordering`);
    await q.query(`
      CREATE TABLE ordering.order_event (
        order_id uuid NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        type text NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        correlation_id text,
        PRIMARY KEY (order_id, version)
      )`);
    await q.query(`
      CREATE TABLE ordering.order_view (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'ROLLED_BACK')),
        items jsonb NOT NULL,
        total_amount bigint NOT NULL,
        currency char(3) NOT NULL,
        reasons jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version int NOT NULL
      )`);
    await q.query(`CREATE INDEX order_view_customer ON ordering.order_view (customer_id, id DESC)`);
    await q.query(`CREATE INDEX order_view_status ON ordering.order_view (status, id DESC)`);
    await q.query(`
      CREATE TABLE ordering.order_saga (
        order_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('RUNNING', 'DONE')),
        inventory text NOT NULL CHECK (inventory IN ('PENDING', 'ACCEPTED', 'REJECTED')),
        payment text NOT NULL CHECK (payment IN ('PENDING', 'ACCEPTED', 'REJECTED')),
        outcome text,
        reasons jsonb NOT NULL DEFAULT '[]',
        lines jsonb NOT NULL,
        total_amount bigint NOT NULL,
        currency char(3) NOT NULL,
        payment_method text NOT NULL,
        payment_token text NOT NULL,
        correlation_id text NOT NULL,
        started_at timestamptz NOT NULL,
        deadline_at timestamptz NOT NULL,
        last_driven_at timestamptz NOT NULL,
        redrive_count int NOT NULL DEFAULT 0,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX order_saga_running ON ordering.order_saga (deadline_at) WHERE status = 'RUNNING'`);
    await q.query(`
      CREATE TABLE ordering.product_price (
        product_id uuid PRIMARY KEY,
        sku text NOT NULL,
        name text NOT NULL,
        price_amount bigint NOT NULL,
        currency char(3) NOT NULL,
        version int NOT NULL,
        archived boolean NOT NULL DEFAULT false
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA ordering CASCADE`);
  }
}
