import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payment providers' webhook events received, one row per provider and event id, inserted in
 * the transaction of the event's effect: a delivery repeated by the provider finds its row and
 * has no second effect. `outcome` says what the event did, for an operator reading the table.
 */
export class PaymentWebhookEvents1767000002800 implements MigrationInterface {
  name = 'PaymentWebhookEvents1767000002800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payments.webhook_event (
        provider text NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        resource_id text NOT NULL,
        outcome text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payments.webhook_event`);
  }
}
