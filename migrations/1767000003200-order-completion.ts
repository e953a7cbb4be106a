import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A confirmed order now ends COMPLETED (payment captured, stock committed) or CANCELLED (the
 * capture failed for good). Orders confirmed before this stay CONFIRMED: their capture and stock
 * commit were never reported back to ordering.
 */
export class OrderCompletion1767000003200 implements MigrationInterface {
  name = 'OrderCompletion1767000003200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ordering.order_view DROP CONSTRAINT order_view_status_check`);
    await q.query(
      `ALTER TABLE ordering.order_view ADD CONSTRAINT order_view_status_known
         CHECK (status IN ('PENDING', 'CONFIRMED', 'COMPLETED', 'CANCELLED', 'REJECTED', 'ROLLED_BACK'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ordering.order_view DROP CONSTRAINT order_view_status_known`);
    // Before completion existed a cancelled order was simply CONFIRMED, as a completed one.
    await q.query(`UPDATE ordering.order_view SET status = 'CONFIRMED' WHERE status IN ('COMPLETED', 'CANCELLED')`);
    await q.query(
      `ALTER TABLE ordering.order_view ADD CONSTRAINT order_view_status_check CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'ROLLED_BACK'))`,
    );
  }
}
