import { MigrationInterface, QueryRunner } from 'typeorm';

/** The saga keeps the order's customer, which the payment request names for payments' own records. */
export class OrderSagaCustomers1767000002100 implements MigrationInterface {
  name = 'OrderSagaCustomers1767000002100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ordering.order_saga ADD COLUMN customer_id text`);
    await q.query(`UPDATE ordering.order_saga s SET customer_id = v.customer_id FROM ordering.order_view v WHERE v.id = s.order_id`);
    // A saga whose order has no view (never expected) keeps a marker rather than blocking the migration.
    await q.query(`UPDATE ordering.order_saga SET customer_id = 'unknown' WHERE customer_id IS NULL`);
    await q.query(`ALTER TABLE ordering.order_saga ALTER COLUMN customer_id SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ordering.order_saga DROP COLUMN customer_id`);
  }
}
