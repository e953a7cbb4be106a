import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices go out by SMS and push too, on the channels each customer chose: one notification per
 * order, kind of notice and channel. `preference` keeps each customer's choice, phone number and
 * push devices (e-mail on, SMS and push off for a customer who never chose); `resends` makes each
 * staff resend a new delivery for the providers' idempotency keys, while retries reuse the key.
 * Customers may read and change their own preferences.
 */
export class NotificationChannels1767000002900 implements MigrationInterface {
  name = 'NotificationChannels1767000002900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_channel_known`);
    await q.query(
      `ALTER TABLE notifications.notification ADD CONSTRAINT notification_channel_known CHECK (channel IN ('email', 'sms', 'push'))`,
    );
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_once_per_order`);
    await q.query(
      `ALTER TABLE notifications.notification ADD CONSTRAINT notification_once_per_order_and_channel UNIQUE (order_id, template, channel)`,
    );
    await q.query(`ALTER TABLE notifications.notification ADD COLUMN resends int NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE notifications.preference (
        customer_id text PRIMARY KEY,
        email boolean NOT NULL,
        sms boolean NOT NULL,
        push boolean NOT NULL,
        phone text CONSTRAINT preference_phone_e164 CHECK (phone ~ '^\\+[1-9][0-9]{1,14}$'),
        devices text[] NOT NULL CONSTRAINT preference_devices_bounded CHECK (cardinality(devices) <= 10),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO identity.role_permission (role, permission) VALUES ('customer', 'notifications:preferences-own') ON CONFLICT DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM identity.role_permission WHERE permission = 'notifications:preferences-own'`);
    await q.query(`DROP TABLE notifications.preference`);
    await q.query(`ALTER TABLE notifications.notification DROP COLUMN resends`);
    await q.query(`DELETE FROM notifications.notification WHERE channel <> 'email'`);
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_once_per_order_and_channel`);
    await q.query(`ALTER TABLE notifications.notification ADD CONSTRAINT notification_once_per_order UNIQUE (order_id, template)`);
    await q.query(`ALTER TABLE notifications.notification DROP CONSTRAINT notification_channel_known`);
    await q.query(`ALTER TABLE notifications.notification ADD CONSTRAINT notification_channel_known CHECK (channel IN ('email'))`);
  }
}
