import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications are sent from a queue, outside the transaction that records them, as e-mails
 * with an HTML body beside the plain one (empty for those recorded before): each row
 * keeps its attempts, its last error, when it is due next, the lease of the worker sending it,
 * and when it was sent. FAILED: permanently refused, or out of attempts.
 */
export class NotificationDeliveryQueue1767000002500 implements MigrationInterface {
  name = 'NotificationDeliveryQueue1767000002500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications.notification
        ADD COLUMN html_body text NOT NULL DEFAULT '',
        ADD COLUMN attempts int NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz,
        ADD COLUMN locked_until timestamptz,
        ADD COLUMN last_error text,
        ADD COLUMN sent_at timestamptz`);
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_status_known`);
    await q.query(
      `ALTER TABLE notifications.notification
         ADD CONSTRAINT notification_status_known CHECK (status IN ('PENDING', 'SENT', 'NOT_SENT', 'FAILED'))`,
    );
    // The worker's claim reads due rows only; sent and failed ones stay out of the index.
    await q.query(
      `CREATE INDEX notification_due ON notifications.notification (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await q.query(`CREATE INDEX notification_by_customer ON notifications.notification (customer_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications.notification_by_customer`);
    await q.query(`DROP INDEX notifications.notification_due`);
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_status_known`);
    await q.query(
      `ALTER TABLE notifications.notification ADD CONSTRAINT notification_status_known CHECK (status IN ('PENDING', 'SENT', 'NOT_SENT'))`,
    );
    await q.query(`
      ALTER TABLE notifications.notification
        DROP COLUMN html_body, DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN locked_until, DROP COLUMN last_error, DROP COLUMN sent_at`);
  }
}
