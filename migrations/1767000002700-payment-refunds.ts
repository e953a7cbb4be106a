import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES_BEFORE = `'PENDING', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'DECLINED'`;

/**
 * Refunds of captured payments: one row per refund, keyed per payment by the requester's
 * Idempotency-Key. A PENDING or SUCCEEDED refund holds its amount against the capture; a payment
 * becomes PARTIALLY_REFUNDED, then REFUNDED. Staff and admins may refund.
 */
export class PaymentRefunds1767000002700 implements MigrationInterface {
  name = 'PaymentRefunds1767000002700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments.payment DROP CONSTRAINT payment_status_known`);
    await q.query(
      `ALTER TABLE payments.payment ADD CONSTRAINT payment_status_known
       CHECK (status IN (${STATUSES_BEFORE}, 'PARTIALLY_REFUNDED', 'REFUNDED'))`,
    );
    await q.query(`
      CREATE TABLE payments.refund (
        id uuid PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payments.payment (id),
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        status text NOT NULL,
        reason text,
        idempotency_key text NOT NULL,
        requested_by text NOT NULL,
        provider_ref text,
        failure_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT refund_key_unique UNIQUE (payment_id, idempotency_key),
        CONSTRAINT refund_amount_positive CHECK (amount > 0),
        CONSTRAINT refund_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT refund_status_known CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        CONSTRAINT refund_reason_bounded CHECK (char_length(reason) BETWEEN 1 AND 500),
        CONSTRAINT refund_succeeded_has_reference CHECK (status <> 'SUCCEEDED' OR provider_ref IS NOT NULL),
        CONSTRAINT refund_failed_has_reason CHECK (status <> 'FAILED' OR failure_reason IS NOT NULL)
      )`);
    await q.query(
      `INSERT INTO identity.role_permission (role, permission) VALUES ('staff', 'payments:refund'), ('admin', 'payments:refund')
       ON CONFLICT DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM identity.role_permission WHERE permission = 'payments:refund'`);
    await q.query(`DROP TABLE payments.refund`);
    await q.query(`UPDATE payments.payment SET status = 'CAPTURED' WHERE status IN ('PARTIALLY_REFUNDED', 'REFUNDED')`);
    await q.query(`ALTER TABLE payments.payment DROP CONSTRAINT payment_status_known`);
    await q.query(`ALTER TABLE payments.payment ADD CONSTRAINT payment_status_known CHECK (status IN (${STATUSES_BEFORE}))`);
  }
}
