import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay claims undelivered rows in `seq` order. It did so on an index of `(next_attempt_at,
 * seq)`, which made every claim sort all due rows: under a backlog of thousands, most of a claim.
 * Now an index in `seq` order lets a claim stop at its batch, and the claim is a function that
 * rules out the plans that would sort (a bitmap scan looks cheapest while the table's statistics
 * still say it is small, as they do until autovacuum analyzes it, which is exactly a burst).
 * Half-filled pages leave room beside each row for its claim's new version: setting
 * `locked_until` (no index has it) is then a heap-only update, without new index entries.
 */
export class OutboxUndeliveredInOrder1767000003900 implements MigrationInterface {
  name = 'OutboxUndeliveredInOrder1767000003900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_undelivered ON messaging.outbox (seq) WHERE published_at IS NULL AND dead_at IS NULL`);
    await q.query(`DROP INDEX messaging.outbox_due`);
    await q.query(`ALTER TABLE messaging.outbox SET (fillfactor = 50)`);
    await q.query(`
      CREATE FUNCTION messaging.claim_outbox(lease_ms float8, batch_size int, claimed_origin text)
      RETURNS TABLE (seq bigint, envelope jsonb, attempts int, created_at timestamptz)
      LANGUAGE sql VOLATILE SET enable_bitmapscan = off SET enable_sort = off AS $$
        UPDATE messaging.outbox o SET locked_until = now() + make_interval(secs => lease_ms / 1000)
        WHERE o.seq IN (
          SELECT c.seq FROM messaging.outbox c
          WHERE c.published_at IS NULL AND c.dead_at IS NULL AND c.next_attempt_at <= now()
            AND (c.locked_until IS NULL OR c.locked_until < now())
            AND (claimed_origin IS NULL OR c.origin IS NULL OR c.origin = claimed_origin)
          ORDER BY c.seq LIMIT batch_size FOR UPDATE SKIP LOCKED)
        RETURNING o.seq, o.envelope, o.attempts, o.created_at
      $$`);
    // Admission control asks this every 100 ms under load: the head of the same index, not every undelivered row.
    await q.query(`
      CREATE FUNCTION messaging.outbox_delivery_lag_ms() RETURNS float8
      LANGUAGE sql STABLE SET enable_bitmapscan = off SET enable_sort = off AS $$
        SELECT coalesce((
          SELECT extract(epoch FROM now() - created_at) * 1000 FROM messaging.outbox
          WHERE published_at IS NULL AND dead_at IS NULL AND attempts = 0 AND last_error IS NULL
          ORDER BY seq LIMIT 1), 0)::float8
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION messaging.outbox_delivery_lag_ms()`);
    await q.query(`DROP FUNCTION messaging.claim_outbox(float8, int, text)`);
    await q.query(`ALTER TABLE messaging.outbox RESET (fillfactor)`);
    await q.query(
      `CREATE INDEX outbox_due ON messaging.outbox (next_attempt_at, seq) WHERE published_at IS NULL AND dead_at IS NULL`,
    );
    await q.query(`DROP INDEX messaging.outbox_undelivered`);
  }
}
