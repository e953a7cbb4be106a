import { UnitOfWork } from '../../../libs/messaging';
import { newId } from '../../../libs/persistence';
import { ProductSearchIndex } from '../../../src/modules/catalog/application/ports/product-search-index';
import { PostgresProductSearchIndex } from '../../../src/modules/catalog/infrastructure/postgres-product-search.index';
import { sql } from '../../support/shop';
import { startTestApp, TestApp } from '../../support/test-app';
import { productSearchIndexContract } from './product-search-index.contract';

// On PGlite, or on the Postgres server in TEST_DATABASE_URL.
describe(PostgresProductSearchIndex.name, () => {
  productSearchIndexContract(async () => {
    const app = await startTestApp();
    const index = app.nest.get(ProductSearchIndex);
    expect(index).toBeInstanceOf(PostgresProductSearchIndex);
    const unitOfWork = app.nest.get(UnitOfWork);
    const [{ installed }] = await sql<{ installed: boolean }>(
      app,
      `SELECT to_regclass('catalog.product_search_name_trgm') IS NOT NULL AS installed`,
    );
    return { index, transaction: (work) => unitOfWork.run(work), matchesTypos: installed, close: () => app.close() };
  });
});

/** Search documents `(product_id, name, category, price_amount, popularity)` as SQL rows, for a statement's VALUES. */
function documentRows(rows: [string, string, string, number, number][]): string {
  return rows
    .map(([id, name, category, price, popularity]) => `('${id}'::uuid, '${name}', '${category}', ${price}, ${popularity})`)
    .join(', ');
}

const UPSERT = `
  INSERT INTO catalog.product_search AS s (product_id, sku, name, description, category, price_amount, currency,
                                           popularity, attributes, created_at, indexed_version)
  SELECT v.id, 'SKU-' || v.id, v.name, 'a ' || v.name || ' for the terms', v.category, v.price, 'EUR', v.popularity, '{}',
         now(), 1
  FROM (VALUES %ROWS%) AS v(id, name, category, price, popularity)
  ON CONFLICT (product_id) DO UPDATE SET name = excluded.name, description = excluded.description,
    category = excluded.category, price_amount = excluded.price_amount, popularity = excluded.popularity`;

/**
 * The terms table (`catalog.product_search_term`) is what relevance search reads: a row per word of
 * each document with its category, price and rank share, kept by triggers on the documents, once a
 * statement, whatever the statement wrote.
 */
describe('The search terms', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Rows of the terms table that its documents do not make, and rows they make that it lacks. */
  const strayTerms = () =>
    sql(
      app,
      `WITH made AS (SELECT terms.lexeme, s.category, s.price_amount, s.product_id, terms.score
                     FROM catalog.product_search AS s, catalog.product_search_terms(s.document) AS terms),
            held AS (SELECT lexeme, category, price_amount, product_id, score FROM catalog.product_search_term)
       (SELECT 'held, not made' AS stray, * FROM (SELECT * FROM held EXCEPT ALL SELECT * FROM made) AS extra)
       UNION ALL
       (SELECT 'made, not held', * FROM (SELECT * FROM made EXCEPT ALL SELECT * FROM held) AS missing)`,
    );

  const termsOf = async (productId: string) =>
    (await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM catalog.product_search_term WHERE product_id = $1', [productId]))[0].n;

  it('follow the documents through statements that insert, update and delete many at once', async () => {
    const [a, b, c, d, e, f] = Array.from({ length: 6 }, () => newId());
    await sql(app, UPSERT.replace('%ROWS%', documentRows([[a, 'red kettle', 'kitchen', 100, 0], [b, 'blue lamp', 'home', 200, 0], [c, 'green mug', 'kitchen', 300, 0], [d, 'pine desk', 'office', 400, 0]])));
    expect(await strayTerms()).toEqual([]);
    expect(await termsOf(a)).toBeGreaterThan(0);

    // In one statement: new words (a), a new category (b), a new price (c), only the popularity (d), two new documents.
    await sql(app, UPSERT.replace('%ROWS%', documentRows([[a, 'copper kettle', 'kitchen', 100, 0], [b, 'blue lamp', 'garden', 200, 0], [c, 'green mug', 'kitchen', 350, 0], [d, 'pine desk', 'office', 400, 7], [e, 'oak chair', 'office', 500, 0], [f, 'tin cup', 'kitchen', 600, 0]])));
    expect(await strayTerms()).toEqual([]);

    const moved = newId();
    await sql(app, 'UPDATE catalog.product_search SET product_id = $1 WHERE product_id = $2', [moved, e]);
    expect(await strayTerms()).toEqual([]);
    expect(await termsOf(e)).toBe(0);
    expect(await termsOf(moved)).toBeGreaterThan(0);

    await sql(app, 'DELETE FROM catalog.product_search WHERE product_id = ANY($1::uuid[])', [[a, moved, f]]);
    expect(await strayTerms()).toEqual([]);
    expect(await termsOf(a)).toBe(0);
    expect(await termsOf(b)).toBeGreaterThan(0);
  });

  /**
   * Relevance read from the terms ranks as `ts_rank` of the documents does, whether the typed word
   * prefixes one index word (its terms read without grouping) or several (grouped per product).
   */
  it.each([
    ['one index word', (word: string) => [word, `${word} ${word}`, `${word} lamp ${word}`, `lamp desk chair ${word}`]],
    ['several index words', (word: string) => [word, `${word} ${word}s`, `lamp ${word}s`, `${word}er desk ${word}`, `chair ${word}er`]],
  ])('rank a word that prefixes %s as the documents do', async (_, namesWith) => {
    const word = `w${newId().replace(/-/g, '').slice(-10)}`;
    const category = `ranking-${word}`;
    const rows = namesWith(word).map((name, i): [string, string, string, number, number] => [newId(), name, category, 100 + i, 0]);
    await sql(app, UPSERT.replace('%ROWS%', documentRows(rows)));
    const expected = await sql<{ product_id: string }>(
      app,
      `SELECT product_id FROM catalog.product_search
       WHERE category = $2 AND document @@ to_tsquery('simple', $1)
       ORDER BY ts_rank(document, to_tsquery('simple', $1)) DESC, product_id DESC`,
      [`${word}:*`, category],
    );
    const found = await app.nest
      .get(ProductSearchIndex)
      .search({ q: { text: word, words: [word] }, category, sort: 'relevance', limit: 100, facets: false });
    expect(expected).toHaveLength(rows.length);
    expect(found.hits.map((hit) => hit.productId)).toEqual(expected.map((row) => row.product_id));
  });
});
