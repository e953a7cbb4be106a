import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff may send a notification again: each request names an Idempotency-Key, kept with the
 * answer it got, so a retried request answers the same and sends nothing more.
 */
export class NotificationResends1767000002600 implements MigrationInterface {
  name = 'NotificationResends1767000002600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications.resend (
        notification_id uuid NOT NULL,
        idempotency_key text NOT NULL,
        requested_by text NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notification_id, idempotency_key)
      )`);
    await q.query(
      `INSERT INTO identity.role_permission (role, permission) VALUES ('staff', 'notifications:resend'), ('admin', 'notifications:resend')
       ON CONFLICT DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM identity.role_permission WHERE permission = 'notifications:resend'`);
    await q.query(`DROP TABLE notifications.resend`);
  }
}
