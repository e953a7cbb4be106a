import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `notifications` schema, owned by the notifications context: what was sent to whom. */
export class Notifications1767000000400 implements MigrationInterface {
  name = 'Notifications1767000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS notifications`);
    // UNIQUE (order_id, template): one message of a kind per order, however often the event
    // that causes it is delivered; it also serves the lookup by order.
    await q.query(`
      CREATE TABLE notifications.notification (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        customer_id text NOT NULL,
        channel text NOT NULL CONSTRAINT notification_channel_known CHECK (channel IN ('email')),
        template text NOT NULL,
        recipient text,
        subject text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CONSTRAINT notification_status_known CHECK (status IN ('PENDING', 'SENT')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notification_once_per_order UNIQUE (order_id, template)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA notifications CASCADE`);
  }
}
