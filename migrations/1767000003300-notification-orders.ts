import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices of paid, cancelled and refunded orders, and confirmations listing their lines:
 * - `order_customer`: each order's customer, as its events named them, for the refund's event,
 *   which does not; filled from the notifications recorded so far.
 * - `product_name`: the product names catalog announced, newest version wins, for the lines.
 * - `notice_key`: an order has one notice of a kind on a channel, except refunds: one per refund
 *   (its id). Empty for the others, so the notices recorded so far keep their one-of-a-kind key.
 */
export class NotificationOrders1767000003300 implements MigrationInterface {
  name = 'NotificationOrders1767000003300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications.order_customer (
        order_id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO notifications.order_customer (order_id, customer_id)
       SELECT DISTINCT ON (order_id) order_id, customer_id FROM notifications.notification ORDER BY order_id, created_at`,
    );
    await q.query(`
      CREATE TABLE notifications.product_name (
        product_id uuid PRIMARY KEY,
        name text NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE notifications.notification ADD COLUMN notice_key text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_once_per_order_and_channel`);
    await q.query(
      `ALTER TABLE notifications.notification
         ADD CONSTRAINT notification_once_per_notice_and_channel UNIQUE (order_id, template, notice_key, channel)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications.notification WHERE notice_key <> ''`);
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_once_per_notice_and_channel`);
    await q.query(
      `ALTER TABLE notifications.notification ADD CONSTRAINT notification_once_per_order_and_channel UNIQUE (order_id, template, channel)`,
    );
    await q.query(`ALTER TABLE notifications.notification DROP COLUMN notice_key`);
    await q.query(`DROP TABLE notifications.product_name`);
    await q.query(`DROP TABLE notifications.order_customer`);
  }
}
