import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment tokens stop resting in plain text (docs/decisions/0022): the saga keeps the token only
 * sealed for payments, and delivered authorization requests and dead letters that carried one
 * lose it. Requests still waiting for delivery keep theirs: payments answers them as before.
 */
export class PaymentMethodRefs1767000002000 implements MigrationInterface {
  name = 'PaymentMethodRefs1767000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ordering.order_saga
        ADD COLUMN payment_method_ref text,
        ADD COLUMN payment_method_ref_expires_at timestamptz,
        ADD CONSTRAINT order_saga_payment_method_ref_expires
          CHECK ((payment_method_ref IS NULL) = (payment_method_ref_expires_at IS NULL)),
        DROP COLUMN payment_token`);
    const redacted = `jsonb_set(envelope, '{payload,token}', '"[redacted]"')`;
    const tokenRequests = `type = 'payments.payment.authorize' AND version = 1`;
    await q.query(`UPDATE messaging.outbox SET envelope = ${redacted} WHERE ${tokenRequests} AND published_at IS NOT NULL`);
    await q.query(`UPDATE messaging.dead_letter SET envelope = ${redacted} WHERE ${tokenRequests}`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Sealed tokens cannot be turned back into plain ones: sagas rolled back to here have none to re-send.
    await q.query(`
      ALTER TABLE ordering.order_saga
        ADD COLUMN payment_token text NOT NULL DEFAULT '',
        DROP COLUMN payment_method_ref_expires_at,
        DROP COLUMN payment_method_ref`);
    await q.query(`ALTER TABLE ordering.order_saga ALTER COLUMN payment_token DROP DEFAULT`);
  }
}
