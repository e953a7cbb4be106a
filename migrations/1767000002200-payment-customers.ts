import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whose payment it is, so a customer lists the payments of their own orders only. Payments
 * recorded before have none: staff see them, customers do not.
 */
export class PaymentCustomers1767000002200 implements MigrationInterface {
  name = 'PaymentCustomers1767000002200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments.payment ADD COLUMN customer_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments.payment DROP COLUMN customer_id`);
  }
}
