import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provider each payment was authorized at, chosen by its method, so its capture, void, refunds
 * and webhook events go to the same one. Every payment before this was authorized at the card
 * provider, whatever its method; a tombstone (no method) was authorized nowhere.
 */
export class PaymentProvider1767000003000 implements MigrationInterface {
  name = 'PaymentProvider1767000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments.payment ADD COLUMN provider text`);
    await q.query(`UPDATE payments.payment SET provider = 'card' WHERE method IS NOT NULL`);
    await q.query(`ALTER TABLE payments.payment ADD CONSTRAINT payment_provider_known CHECK (provider IN ('card', 'paypal', 'crypto'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments.payment DROP COLUMN provider`);
  }
}
