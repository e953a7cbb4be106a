import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox, inbox and dead letters: one `messaging` schema per database, shared by its contexts. */
export class Messaging1767000000000 implements MigrationInterface {
  name = 'Messaging1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS messaging`);
    await q.query(`
      CREATE TABLE messaging.outbox (
        seq bigserial PRIMARY KEY,
        message_id uuid NOT NULL,
        type text NOT NULL,
        version int NOT NULL,
        aggregate_id text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        published_at timestamptz,
        dead_at timestamptz,
        last_error text
      )`);
    await q.query(
      `CREATE INDEX outbox_due ON messaging.outbox (next_attempt_at, seq) WHERE published_at IS NULL AND dead_at IS NULL`,
    );
    await q.query(`CREATE INDEX outbox_published ON messaging.outbox (published_at) WHERE published_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE messaging.inbox (
        consumer text NOT NULL,
        message_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
    await q.query(`CREATE INDEX inbox_processed ON messaging.inbox (processed_at)`);
    await q.query(`
      CREATE TABLE messaging.dead_letter (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL,
        type text NOT NULL,
        version int NOT NULL,
        consumers text[] NOT NULL,
        error text NOT NULL,
        attempts int NOT NULL,
        source text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA messaging CASCADE`);
  }
}
