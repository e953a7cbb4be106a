import { MigrationInterface, QueryRunner } from 'typeorm';

/** The `payments` schema, owned by the payments context. */
export class Payments1767000000300 implements MigrationInterface {
  name = 'Payments1767000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS payments`);
    // One payment per order; a VOIDED row without an amount is a void that arrived first.
    await q.query(`
      CREATE TABLE payments.payment (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        status text NOT NULL,
        amount bigint,
        currency char(3),
        method text,
        attempts int NOT NULL DEFAULT 0,
        decline_reason text,
        provider_ref text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_order_unique UNIQUE (order_id),
        CONSTRAINT payment_status_known CHECK (status IN ('PENDING', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'DECLINED')),
        CONSTRAINT payment_amount_not_negative CHECK (amount >= 0),
        CONSTRAINT payment_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT payment_amount_with_currency CHECK ((amount IS NULL) = (currency IS NULL)),
        CONSTRAINT payment_only_tombstone_lacks_amount
          CHECK (status = 'VOIDED' OR (amount IS NOT NULL AND method IS NOT NULL)),
        CONSTRAINT payment_declined_has_reason CHECK (status <> 'DECLINED' OR decline_reason IS NOT NULL),
        CONSTRAINT payment_attempts_not_negative CHECK (attempts >= 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA payments CASCADE`);
  }
}
