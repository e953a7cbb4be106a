import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where to write to a customer: notifications keeps its own copy of each account's e-mail
 * address, taken from `identity.user.registered`, instead of asking identity per message. A
 * notice for a customer whose address it does not know is kept as NOT_SENT with the reason.
 */
export class NotificationContacts1767000002400 implements MigrationInterface {
  name = 'NotificationContacts1767000002400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications.contact (
        customer_id text PRIMARY KEY,
        email text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE notifications.notification ADD COLUMN status_reason text`);
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_status_known`);
    await q.query(
      `ALTER TABLE notifications.notification ADD CONSTRAINT notification_status_known CHECK (status IN ('PENDING', 'SENT', 'NOT_SENT'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_status_known`);
    await q.query(`ALTER TABLE notifications.notification ADD CONSTRAINT notification_status_known CHECK (status IN ('PENDING', 'SENT'))`);
    await q.query(`ALTER TABLE notifications.notification DROP COLUMN status_reason`);
    await q.query(`DROP TABLE notifications.contact`);
  }
}
