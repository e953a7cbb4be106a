import { MigrationInterface, QueryRunner } from 'typeorm';

/** Keeps a document's terms in step with it, once a row (the row triggers below). */
export const TERMS_CHANGED_FUNCTION = `
      CREATE FUNCTION catalog.product_search_terms_changed() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          DELETE FROM catalog.product_search_term AS term
          WHERE term.lexeme = ANY (tsvector_to_array(OLD.document)) AND term.category = OLD.category
            AND term.price_amount = OLD.price_amount AND term.product_id = OLD.product_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO catalog.product_search_term (lexeme, category, price_amount, product_id, score)
          SELECT terms.lexeme, NEW.category, NEW.price_amount, NEW.product_id, terms.score
          FROM catalog.product_search_terms(NEW.document) AS terms;
        END IF;
        RETURN NULL;
      END $$`;

/**
 * The row triggers that run `TERMS_CHANGED_FUNCTION`. Most updates (popularity, attributes, a
 * rebuild rewriting the same document) keep the terms.
 */
export const TERMS_ROW_TRIGGERS = [
  `
      CREATE TRIGGER product_search_terms_inserted AFTER INSERT ON catalog.product_search
      FOR EACH ROW EXECUTE FUNCTION catalog.product_search_terms_changed()`,
  `
      CREATE TRIGGER product_search_terms_updated AFTER UPDATE ON catalog.product_search
      FOR EACH ROW WHEN (OLD.document IS DISTINCT FROM NEW.document OR OLD.category IS DISTINCT FROM NEW.category
                         OR OLD.price_amount IS DISTINCT FROM NEW.price_amount)
      EXECUTE FUNCTION catalog.product_search_terms_changed()`,
  `
      CREATE TRIGGER product_search_terms_deleted AFTER DELETE ON catalog.product_search
      FOR EACH ROW EXECUTE FUNCTION catalog.product_search_terms_changed()`,
];

/**
 * `catalog.product_search_term`: an inverted index of the search documents, one row per word of
 * a document with the product's category and price and the word's share of `ts_rank`, kept in
 * step with `product_search` by triggers. A relevance search with words then reads a few btree
 * ranges (word, category, price) and adds up the shares, without visiting a document: at 100,000
 * products the bitmap scans and the heap visit of every matching document were 3–8 ms a search.
 * See docs/decisions/0019.
 */
export class CatalogSearchTerms1767000001100 implements MigrationInterface {
  name = 'CatalogSearchTerms1767000001100';

  async up(q: QueryRunner): Promise<void> {
    // Byte order ("C") as in product_search_word: a word prefix is one range of the key.
    await q.query(`
      CREATE TABLE catalog.product_search_term (
        lexeme text COLLATE "C" NOT NULL,
        category text NOT NULL,
        price_amount bigint NOT NULL,
        product_id uuid NOT NULL,
        score real NOT NULL
      )`);
    // Search reads only this index (index-only scans); the triggers find a product's rows by it too.
    await q.query(`
      CREATE INDEX product_search_term_lookup ON catalog.product_search_term (lexeme, category, price_amount)
        INCLUDE (product_id, score)`);
    // ts_rank of an OR query adds, for each query word, the ranks of the document's words it
    // matches, then divides by the number of query words: each word's rank alone is its share.
    // The lexeme is quoted for the tsquery parser ('' for a quote, \\ for a backslash), so
    // the query holds exactly that lexeme.
    await q.query(`
      CREATE FUNCTION catalog.product_search_terms(document tsvector) RETURNS TABLE (lexeme text, score real)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT entry.lexeme,
               ts_rank(document, ('''' || replace(replace(entry.lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery)
        FROM unnest(document) AS entry
      $$`);
    await q.query(TERMS_CHANGED_FUNCTION);
    // Writes wait until the terms are filled and the triggers in place; searches go on.
    await q.query(`LOCK TABLE catalog.product_search IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`
      INSERT INTO catalog.product_search_term (lexeme, category, price_amount, product_id, score)
      SELECT terms.lexeme, s.category, s.price_amount, s.product_id, terms.score
      FROM catalog.product_search AS s, catalog.product_search_terms(s.document) AS terms`);
    for (const trigger of TERMS_ROW_TRIGGERS) await q.query(trigger);
    await q.query(`ANALYZE catalog.product_search_term`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER product_search_terms_inserted ON catalog.product_search`);
    await q.query(`DROP TRIGGER product_search_terms_updated ON catalog.product_search`);
    await q.query(`DROP TRIGGER product_search_terms_deleted ON catalog.product_search`);
    await q.query(`DROP FUNCTION catalog.product_search_terms_changed()`);
    await q.query(`DROP FUNCTION catalog.product_search_terms(tsvector)`);
    await q.query(`DROP TABLE catalog.product_search_term`);
  }
}
