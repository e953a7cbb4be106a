import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` of order placements: per customer, which order a key placed and a hash of
 * the request it came with. Kept 24 hours.
 */
export class OrderIdempotencyKeys1767000001300 implements MigrationInterface {
  name = 'OrderIdempotencyKeys1767000001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ordering.idempotency_key (
        customer_id text NOT NULL,
        key text NOT NULL,
        request_hash bytea NOT NULL,
        order_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_key_by_age ON ordering.idempotency_key (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ordering.idempotency_key`);
  }
}
