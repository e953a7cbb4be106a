import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `outbox_pending_messages` gauge counts the undelivered rows at every scrape. Planned freely,
 * the count took a seq scan or a bitmap scan of a partial index of undelivered rows, and neither
 * marks the index entries of rows delivered since as dead: until a vacuum, each scrape read every
 * row delivered since the last one (35 ms a scrape after a 2,000-order burst). An index-only scan of
 * `outbox_undelivered` marks them the first time it meets them, as the claims' scans of the same
 * index do, so a scrape then reads the index pages of the undelivered rows and little else.
 */
export class OutboxUndeliveredCount1767000004400 implements MigrationInterface {
  name = 'OutboxUndeliveredCount1767000004400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION messaging.outbox_undelivered_count() RETURNS bigint
      LANGUAGE sql STABLE SET enable_bitmapscan = off SET enable_seqscan = off AS $$
        SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL AND dead_at IS NULL
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION messaging.outbox_undelivered_count()`);
  }
}
