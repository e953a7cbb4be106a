import { MigrationInterface, QueryRunner } from 'typeorm';
import { TERMS_CHANGED_FUNCTION, TERMS_ROW_TRIGGERS } from './1767000001100-catalog-search-terms';

/** The terms of `documents` (a FROM item `d` with the documents' columns), in the terms index's order. */
const insertTermsOf = (documents: string) => `
  INSERT INTO catalog.product_search_term (lexeme, category, price_amount, product_id, score)
  SELECT terms.lexeme, d.category, d.price_amount, d.product_id, terms.score
  FROM ${documents}, catalog.product_search_terms(d.document) AS terms
  ORDER BY terms.lexeme, d.category, d.price_amount`;

/**
 * Deletes the terms of `documents` (a FROM item `d` with the documents' columns) one document at a
 * time, by the index probes of its words: a join of the terms with the documents was planned as a
 * scan of every term when the documents were few or none.
 */
const deleteTermsOf = (documents: string) => `
  FOR gone IN SELECT d.product_id, d.category, d.price_amount, d.document FROM ${documents} LOOP
    DELETE FROM catalog.product_search_term AS term
    WHERE term.lexeme = ANY (tsvector_to_array(gone.document)) AND term.category = gone.category
      AND term.price_amount = gone.price_amount AND term.product_id = gone.product_id;
  END LOOP`;

/**
 * Of an update's rows in `versions` (old or new), those whose terms the other version does not
 * have: the document, category or price changed, or the product id did. Most updates
 * (popularity, attributes, a rebuild rewriting the same document) keep the terms.
 */
const changedOf = (versions: 'old_rows' | 'new_rows') => {
  const others = versions === 'old_rows' ? 'new_rows' : 'old_rows';
  return `(SELECT v.product_id, v.category, v.price_amount, v.document FROM ${versions} AS v
     WHERE NOT EXISTS (SELECT FROM ${others} AS w WHERE w.product_id = v.product_id AND w.category = v.category
                         AND w.price_amount = v.price_amount AND w.document IS NOT DISTINCT FROM v.document)) AS d`;
};

/** Each trigger: the statement it follows, the transition tables it reads, and what it does to the terms. */
const TRIGGERS = {
  inserted: { event: 'INSERT', tables: 'NEW TABLE AS inserted', body: insertTermsOf('inserted AS d') },
  updated: {
    event: 'UPDATE',
    tables: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
    body: `${deleteTermsOf(changedOf('old_rows'))}; ${insertTermsOf(changedOf('new_rows'))}`,
  },
  deleted: { event: 'DELETE', tables: 'OLD TABLE AS deleted', body: deleteTermsOf('deleted AS d') },
};

/**
 * The terms follow the search documents once a statement instead of once a row: indexing a batch
 * of 100 documents was 100 trigger calls, each inserting a document's 18 terms where they fall
 * in the index; now it is one insert of the batch's terms in the index's order, which meets each
 * page of the index once. The rows a statement wrote are its transition tables.
 */
export class CatalogSearchTermsPerStatement1767000004100 implements MigrationInterface {
  name = 'CatalogSearchTermsPerStatement1767000004100';

  async up(q: QueryRunner): Promise<void> {
    for (const name of Object.keys(TRIGGERS)) await q.query(`DROP TRIGGER product_search_terms_${name} ON catalog.product_search`);
    await q.query(`DROP FUNCTION catalog.product_search_terms_changed()`);
    for (const [name, { event, tables, body }] of Object.entries(TRIGGERS)) {
      await q.query(`
        CREATE FUNCTION catalog.product_search_terms_${name}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE gone record;
        BEGIN
          ${body};
          RETURN NULL;
        END $$`);
      await q.query(`
        CREATE TRIGGER product_search_terms_${name} AFTER ${event} ON catalog.product_search
        REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION catalog.product_search_terms_${name}()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of Object.keys(TRIGGERS)) {
      await q.query(`DROP TRIGGER product_search_terms_${name} ON catalog.product_search`);
      await q.query(`DROP FUNCTION catalog.product_search_terms_${name}()`);
    }
    await q.query(TERMS_CHANGED_FUNCTION);
    for (const trigger of TERMS_ROW_TRIGGERS) await q.query(trigger);
  }
}
