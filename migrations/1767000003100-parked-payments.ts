import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES_BEFORE = `'PENDING', 'AUTHORIZED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'DECLINED'`;

/**
 * Payments parked while their provider's circuit is open (docs/decisions/0038): a PARKED payment
 * keeps its sealed payment method (never a token) and its expiry, so it can be asked again once the
 * provider recovers, until `parked_until`; `resume_leased_until` keeps two processes from resuming
 * it at once. The sealed method is erased when the payment leaves PARKED.
 */
export class ParkedPayments1767000003100 implements MigrationInterface {
  name = 'ParkedPayments1767000003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments.payment DROP CONSTRAINT payment_status_known`);
    await q.query(`ALTER TABLE payments.payment ADD CONSTRAINT payment_status_known CHECK (status IN (${STATUSES_BEFORE}, 'PARKED'))`);
    await q.query(`
      ALTER TABLE payments.payment
        ADD COLUMN parked_until timestamptz,
        ADD COLUMN payment_method_ref text,
        ADD COLUMN payment_method_ref_expires_at timestamptz,
        ADD COLUMN resume_leased_until timestamptz,
        ADD CONSTRAINT payment_parked_resumable
          CHECK ((status = 'PARKED') = (parked_until IS NOT NULL AND payment_method_ref IS NOT NULL AND payment_method_ref_expires_at IS NOT NULL))`);
    await q.query(`CREATE INDEX payment_parked ON payments.payment (provider, parked_until) WHERE status = 'PARKED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // A parked payment had not been authorized: it goes back to waiting for its order's deadline.
    await q.query(`UPDATE payments.payment SET status = 'PENDING' WHERE status = 'PARKED'`);
    await q.query(`DROP INDEX payments.payment_parked`);
    await q.query(`
      ALTER TABLE payments.payment
        DROP CONSTRAINT payment_parked_resumable,
        DROP COLUMN resume_leased_until,
        DROP COLUMN payment_method_ref_expires_at,
        DROP COLUMN payment_method_ref,
        DROP COLUMN parked_until`);
    await q.query(`ALTER TABLE payments.payment DROP CONSTRAINT payment_status_known`);
    await q.query(`ALTER TABLE payments.payment ADD CONSTRAINT payment_status_known CHECK (status IN (${STATUSES_BEFORE}))`);
  }
}
