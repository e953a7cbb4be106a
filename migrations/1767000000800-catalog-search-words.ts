import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The words of the search index: `catalog.product_search_word` holds every lexeme of
 * `product_search.document` with the number of documents holding it, kept exact by statement
 * triggers on `product_search`. Search asks it whether a word prefixes any indexed word (one
 * btree probe) instead of a GIN bitmap scan that reads every document matching the prefix.
 */
export class CatalogSearchWords1767000000800 implements MigrationInterface {
  name = 'CatalogSearchWords1767000000800';

  async up(q: QueryRunner): Promise<void> {
    // Byte order ("C"), as tsquery prefixes compare: the words a prefix starts are one range of the key.
    await q.query(`
      CREATE TABLE catalog.product_search_word (
        word text COLLATE "C" PRIMARY KEY,
        documents int NOT NULL CHECK (documents >= 0)
      )`);
    // Every writer of the index takes this one lock before changing counts, so the word rows,
    // locked in whatever order, cannot deadlock two writers (a rebuild page changes counts in two
    // statements). Own first key in the two-int advisory key space.
    await q.query(`
      CREATE FUNCTION catalog.count_product_search_words(words text[], changes int[]) RETURNS void
      LANGUAGE sql AS $$
        SELECT pg_advisory_xact_lock(1667331074, 0) WHERE cardinality(words) > 0;
        UPDATE catalog.product_search_word AS counted SET documents = counted.documents + c.change
        FROM unnest(words, changes) AS c(word, change) WHERE counted.word = c.word;
        INSERT INTO catalog.product_search_word (word, documents)
        SELECT word, change FROM unnest(words, changes) AS c(word, change) WHERE change > 0
        ON CONFLICT (word) DO NOTHING;
        -- A word no document holds any more leaves, so the table holds exactly the indexed words.
        DELETE FROM catalog.product_search_word WHERE word = ANY(words) AND documents = 0;
      $$`);
    await q.query(`
      CREATE FUNCTION catalog.product_search_words_changed() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        words text[];
        changes int[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(lexeme ORDER BY lexeme), array_agg(n ORDER BY lexeme) INTO words, changes
          FROM (SELECT lexeme, count(*)::int AS n FROM added, unnest(added.document) GROUP BY lexeme) AS c;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(lexeme ORDER BY lexeme), array_agg(-n ORDER BY lexeme) INTO words, changes
          FROM (SELECT lexeme, count(*)::int AS n FROM removed, unnest(removed.document) GROUP BY lexeme) AS c;
        ELSE
          -- Most updates (price, popularity, a rebuild rewriting the same text) keep the words.
          SELECT array_agg(lexeme ORDER BY lexeme), array_agg(n ORDER BY lexeme) INTO words, changes
          FROM (SELECT lexeme, sum(change)::int AS n
                FROM (SELECT a.document AS after, r.document AS before
                      FROM added a JOIN removed r USING (product_id)
                      WHERE a.document IS DISTINCT FROM r.document) AS changed,
                     LATERAL (SELECT lexeme, 1 AS change FROM unnest(changed.after)
                              UNION ALL SELECT lexeme, -1 FROM unnest(changed.before)) AS l
                GROUP BY lexeme HAVING sum(change) <> 0) AS c;
        END IF;
        PERFORM catalog.count_product_search_words(coalesce(words, '{}'), coalesce(changes, '{}'));
        RETURN NULL;
      END $$`);
    // Writes wait until the words are counted and the triggers in place; searches go on.
    await q.query(`LOCK TABLE catalog.product_search IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`
      INSERT INTO catalog.product_search_word (word, documents)
      SELECT lexeme, count(*) FROM catalog.product_search, unnest(document) GROUP BY lexeme`);
    // A trigger with transition tables serves one event.
    await q.query(`
      CREATE TRIGGER product_search_words_inserted AFTER INSERT ON catalog.product_search
      REFERENCING NEW TABLE AS added
      FOR EACH STATEMENT EXECUTE FUNCTION catalog.product_search_words_changed()`);
    await q.query(`
      CREATE TRIGGER product_search_words_updated AFTER UPDATE ON catalog.product_search
      REFERENCING OLD TABLE AS removed NEW TABLE AS added
      FOR EACH STATEMENT EXECUTE FUNCTION catalog.product_search_words_changed()`);
    await q.query(`
      CREATE TRIGGER product_search_words_deleted AFTER DELETE ON catalog.product_search
      REFERENCING OLD TABLE AS removed
      FOR EACH STATEMENT EXECUTE FUNCTION catalog.product_search_words_changed()`);
    await q.query(`ANALYZE catalog.product_search_word`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER product_search_words_inserted ON catalog.product_search`);
    await q.query(`DROP TRIGGER product_search_words_updated ON catalog.product_search`);
    await q.query(`DROP TRIGGER product_search_words_deleted ON catalog.product_search`);
    await q.query(`DROP FUNCTION catalog.product_search_words_changed()`);
    await q.query(`DROP FUNCTION catalog.count_product_search_words(text[], int[])`);
    await q.query(`DROP TABLE catalog.product_search_word`);
  }
}
