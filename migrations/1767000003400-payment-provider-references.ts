import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finds a payment by the reference its provider gave it: PayPal's webhook events name the
 * authorization or the capture, not our ids, so each such event looks the payment up by them.
 */
export class PaymentProviderReferences1767000003400 implements MigrationInterface {
  name = 'PaymentProviderReferences1767000003400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX payment_provider_ref ON payments.payment (provider, provider_ref) WHERE provider_ref IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX payments.payment_provider_ref`);
  }
}
