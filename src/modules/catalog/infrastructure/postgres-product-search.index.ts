import { createHash } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Transaction } from '../../../../libs/messaging';
import { genericPlanSessions, PipelinedSessions } from '../../../../libs/persistence';
import {
  PRICE_BUCKET_BOUNDS,
  ProductSearch,
  ProductSearchIndex,
  SearchDocument,
  SearchFacets,
  SearchIndexRebuild,
  SearchPage,
  SearchSort,
  SearchText,
} from '../application/ports/product-search-index';
import { ProductAttributes } from '../domain/product';

interface SearchRow {
  product_id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price_amount: string | number;
  currency: string;
  popularity: number;
  attributes: ProductAttributes;
  created_at: Date;
  indexed_version: number;
  sort_key: string;
}

/** A row of the relevance search over the terms: a hit, or none (null columns) when the page is empty. */
type TermSearchRow = { misspelt: string[] | null } & (SearchRow | { product_id: null });

interface FacetRow {
  grouping_set: number;
  category: string | null;
  bucket: number | null;
  n: number;
}

/** How one sort orders rows and writes its key exactly as text for the cursor. */
interface SortPlan {
  expression: string;
  descending: boolean;
  /** The key of a row as text that `parse` turns back into the same value. */
  keyText: string;
  parse: (placeholder: string) => string;
}

/** Distinct words a bigint match mask holds; a search with more searches the documents instead. */
const MASK_BITS = 63;

/**
 * Sessions the prepared searches are pipelined on. Under 50 concurrent searches at 100,000
 * products, 8 answered about a fourth more searches a second than the pool of 20, with a p99 no
 * worse; 2 to 4 kept up with 8 but made the p99 longer (docs/benchmarks.md).
 */
const SEARCH_SESSIONS = 8;

/** Highest code point: a word followed by it sorts (in byte order) after every word it prefixes. */
const LAST_CODE_POINT = 'chr(1114111)';

/**
 * Whether an indexed word starts with `prefix` (an SQL text expression). The terms' index leads
 * with the word in byte order, where the words a prefix starts are one range: one btree probe,
 * however many documents hold them.
 */
function anyWordStartingWith(prefix: string): string {
  return `EXISTS (SELECT FROM catalog.product_search_term AS term
                  WHERE term.lexeme >= ${prefix} AND term.lexeme < ${prefix} || ${LAST_CODE_POINT})`;
}

/**
 * The distinct indexed words starting with `prefix`, as rows of `lexeme`: a skip scan of the terms'
 * index, one btree probe per word (the index has a row per word of each document).
 */
function wordsStartingWith(prefix: string): string {
  const after = (bound: string) => `(SELECT term.lexeme FROM catalog.product_search_term AS term
      WHERE term.lexeme ${bound} AND term.lexeme < ${prefix} || ${LAST_CODE_POINT} ORDER BY term.lexeme LIMIT 1)`;
  return `WITH RECURSIVE next_word(lexeme) AS (
      ${after(`>= ${prefix}`)}
      UNION ALL
      SELECT ${after('> next_word.lexeme')} FROM next_word WHERE next_word.lexeme IS NOT NULL
    ) SELECT lexeme FROM next_word WHERE lexeme IS NOT NULL`;
}

const TIMESTAMP_TEXT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const COLUMN_SORTS: Record<Exclude<SearchSort, 'relevance'>, SortPlan> = {
  popularity: { expression: 'popularity', descending: true, keyText: 'popularity::text', parse: (p) => `${p}::int` },
  price_asc: { expression: 'price_amount', descending: false, keyText: 'price_amount::text', parse: (p) => `${p}::bigint` },
  price_desc: { expression: 'price_amount', descending: true, keyText: 'price_amount::text', parse: (p) => `${p}::bigint` },
  newest: { expression: 'created_at', descending: true, keyText: TIMESTAMP_TEXT, parse: (p) => `${p}::timestamptz` },
  oldest: { expression: 'created_at', descending: false, keyText: TIMESTAMP_TEXT, parse: (p) => `${p}::timestamptz` },
};

/** Collects bound parameters and hands out their placeholders. */
class Parameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function toDocument(row: SearchRow): SearchDocument {
  return {
    productId: row.product_id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    category: row.category,
    price: { amount: Number(row.price_amount), currency: row.currency },
    popularity: row.popularity,
    attributes: row.attributes,
    createdAt: row.created_at,
    version: row.indexed_version,
  };
}

function toFacets(rows: FacetRow[]): SearchFacets {
  const facets: SearchFacets = { total: 0, categories: [], priceBuckets: [] };
  for (const row of rows) {
    // GROUPING(category, bucket): 1 = a category row, 2 = a price bucket row, 3 = the grand total.
    if (row.grouping_set === 3) facets.total = row.n;
    else if (row.grouping_set === 1) facets.categories.push({ value: row.category as string, count: row.n });
    else {
      const bucket = row.bucket as number;
      const to = bucket < PRICE_BUCKET_BOUNDS.length ? PRICE_BUCKET_BOUNDS[bucket] : null;
      facets.priceBuckets.push({ from: PRICE_BUCKET_BOUNDS[bucket - 1], to, count: row.n });
    }
  }
  facets.categories.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  facets.priceBuckets.sort((a, b) => a.from - b.from);
  return facets;
}

/**
 * The search read model on Postgres full-text search: `catalog.product_search`, whose
 * `document` weighs the name (A) above the description (B). Every word of `q` must match, as a
 * prefix; with pg_trgm and its index present, a word that prefixes nothing indexed (a typo)
 * matches names holding a near spelling of it instead.
 */
@Injectable()
export class PostgresProductSearchIndex extends ProductSearchIndex implements OnModuleInit, OnApplicationShutdown {
  readonly backend = 'postgres';
  private readonly logger = new Logger(PostgresProductSearchIndex.name);
  /** Schema of the pg_trgm extension when it and the trigram index exist; else prefix matching only. */
  private trigramSchema?: string;
  /** The prepared searches' sessions on PostgreSQL; undefined on the embedded database. */
  private sessions?: PipelinedSessions;
  private readonly statementNames = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async onModuleInit(): Promise<void> {
    const { master } = this.dataSource.driver as unknown as { master: unknown };
    this.sessions =
      master instanceof Pool
        ? genericPlanSessions(master, SEARCH_SESSIONS, (error) => this.logger.warn(`a session of the prepared searches failed: ${error.message}`))
        : undefined;
    const [row] = await this.dataSource.query<{ schema: string }[]>(
      `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
       WHERE e.extname = 'pg_trgm' AND to_regclass('catalog.product_search_name_trgm') IS NOT NULL`,
    );
    this.trigramSchema = row?.schema;
    // Only the degraded case is worth a line at start.
    if (this.trigramSchema) this.logger.debug('search matches prefixes and typos (pg_trgm)');
    else this.logger.warn('search matches prefixes only: the pg_trgm extension is missing, so misspelt words find nothing');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sessions?.end();
  }

  async put(tx: Transaction, documents: SearchDocument[]): Promise<void> {
    await this.upsert(tx, documents, { keepNewer: true });
  }

  /**
   * Writes the documents; with `keepNewer`, not over a row holding a newer version. A rebuild
   * overwrites whatever the table holds: it writes the write model's current state under the
   * products' row locks, even where the table holds versions of a write model since restored.
   */
  private async upsert(tx: Transaction, documents: SearchDocument[], { keepNewer }: { keepNewer: boolean }): Promise<void> {
    if (documents.length === 0) return;
    const column = <T>(pick: (d: SearchDocument) => T): T[] => documents.map(pick);
    await tx.query(
      `INSERT INTO catalog.product_search
         (product_id, sku, name, description, category, price_amount, currency, popularity, attributes,
          created_at, indexed_version)
       SELECT product_id, sku, name, description, category, price_amount, currency, popularity,
              attributes::jsonb, created_at, indexed_version
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                   $8::int[], $9::text[], $10::timestamptz[], $11::int[])
         AS d(product_id, sku, name, description, category, price_amount, currency, popularity, attributes,
              created_at, indexed_version)
       ON CONFLICT (product_id) DO UPDATE SET
         sku = excluded.sku, name = excluded.name, description = excluded.description,
         category = excluded.category, price_amount = excluded.price_amount, currency = excluded.currency,
         popularity = excluded.popularity, attributes = excluded.attributes, created_at = excluded.created_at,
         indexed_version = excluded.indexed_version
       ${keepNewer ? 'WHERE catalog.product_search.indexed_version <= excluded.indexed_version' : ''}`,
      [
        column((d) => d.productId),
        column((d) => d.sku),
        column((d) => d.name),
        column((d) => d.description),
        column((d) => d.category),
        column((d) => d.price.amount),
        column((d) => d.price.currency),
        column((d) => d.popularity),
        column((d) => JSON.stringify(d.attributes)),
        column((d) => d.createdAt.toISOString()),
        column((d) => d.version),
      ],
    );
  }

  async remove(tx: Transaction, productIds: string[]): Promise<void> {
    if (productIds.length === 0) return;
    await tx.query('DELETE FROM catalog.product_search WHERE product_id = ANY($1::uuid[])', [productIds]);
  }

  /**
   * Rewrites the one table in place, page by page, each page in its writer's transaction: every
   * row is overwritten or removed on the way, so there is nothing to swap at the end. That
   * leaves a dead version of every row, GIN entries in the pending list that every search scans,
   * and maybe no statistics (until autovacuum gets to it, never where it is off): searches were
   * planned for a handful of rows and read twice the pages. `VACUUM (ANALYZE)` ends all three,
   * and sets the visibility map that lets the relevance search read the terms' index alone.
   */
  beginRebuild(): Promise<SearchIndexRebuild> {
    return Promise.resolve({
      put: (tx, documents) => this.upsert(tx, documents, { keepNewer: false }),
      remove: (tx, productIds) => this.remove(tx, productIds),
      finish: async () => {
        await this.dataSource.query('VACUUM (ANALYZE) catalog.product_search, catalog.product_search_term');
      },
      abandon: () => Promise.resolve(),
    });
  }

  /**
   * A relevance search with words reads the terms (`product_search_term`): the ranges of the
   * index words each typed word prefixes, in the category and price range, their rank shares
   * added up per product; one statement, which also names the words that prefix nothing. Other
   * searches, and those with a misspelt word when pg_trgm matches it loosely, read the documents.
   */
  async search(query: ProductSearch): Promise<SearchPage> {
    const { q } = query;
    const words = q ? [...new Set(q.words)] : [];
    if (q && query.sort === 'relevance' && words.length <= MASK_BITS) {
      const answer = await this.searchTerms(query, words);
      if (answer.misspelt.size === 0 || !this.trigramSchema) return answer.page;
      return this.searchDocuments(query, answer.misspelt);
    }
    return this.searchDocuments(query, await this.wordsToMatchLoosely(q));
  }

  private async searchTerms(query: ProductSearch, words: string[]): Promise<{ page: SearchPage; misspelt: Set<string> }> {
    const params = new Parameters();
    const matched = this.termMatches(query, words, params);
    const facets = query.facets ? this.facets({ prelude: `WITH ${matched}`, source: 'matched', prepare: true }, params.values) : undefined;
    const keyset = query.after
      ? `WHERE (rank, product_id) < (${params.add(query.after.key)}::real, ${params.add(query.after.id)}::uuid)`
      : '';
    const page = `page AS (
      SELECT product_id, rank FROM matched ${keyset} ORDER BY rank DESC, product_id DESC LIMIT ${params.add(query.limit + 1)})`;
    // One row at least, so the misspelt words come back with an empty page too.
    const rowsPromise = this.prepared<TermSearchRow>(
      `WITH ${matched}, ${page}
       SELECT (SELECT array_agg(typed.word) FROM typed WHERE NOT ${anyWordStartingWith('typed.word')}) AS misspelt,
              s.product_id, s.sku, s.name, s.description, s.category, s.price_amount, s.currency, s.popularity,
              s.attributes, s.created_at, s.indexed_version, page.rank::text AS sort_key
       FROM (VALUES (1)) AS one
       LEFT JOIN (page JOIN catalog.product_search AS s USING (product_id)) ON true
       ORDER BY page.rank DESC, page.product_id DESC`,
      params.values,
    );
    const [rows, facetResult] = await Promise.all([rowsPromise, facets]);
    const hits = rows.filter((row): row is { misspelt: string[] | null } & SearchRow => row.product_id !== null);
    return { page: this.pageOf(hits, query, facetResult), misspelt: new Set(rows[0]?.misspelt ?? []) };
  }

  /**
   * CTEs ending in `matched(product_id, category, price_amount, rank)`: the products holding, for
   * every typed word, an index word it prefixes, within the filters. The rank is `ts_rank` of the
   * words ORed as prefixes, as the documents would give it: the shares of the matching index
   * words added up, divided by the number of distinct typed words. A word's bit in the mask
   * tells which typed words a product matched.
   *
   * A product has one term a word, so when one typed word prefixes one index word there is
   * nothing to add up: that branch reads the terms without grouping them, which halved the
   * statement's time for a word matching 2,000 products (docs/benchmarks.md). The other branch
   * groups. Which one runs is decided once per execution, before either reads a term.
   */
  private termMatches(query: ProductSearch, words: string[], params: Parameters): string {
    const category = query.category === undefined ? '' : `AND term.category = ${params.add(query.category)}`;
    const minPrice = params.add(query.minPrice ?? 0);
    const maxPrice = params.add(query.maxPrice ?? Number.MAX_SAFE_INTEGER);
    const typed = params.add(words);
    // Each index word's terms read through the terms' index, whatever the filters: a lateral
    // subquery kept as one (OFFSET 0 stops PostgreSQL flattening it into a join). As a join, the
    // generic plan of a search without a category sorted the whole terms table for a merge join.
    const terms = `FROM lexemes CROSS JOIN LATERAL (
          SELECT term.product_id, term.category, term.price_amount, term.score FROM catalog.product_search_term AS term
          WHERE term.lexeme = lexemes.lexeme ${category} AND term.price_amount BETWEEN ${minPrice}::bigint AND ${maxPrice}::bigint
          OFFSET 0
        ) AS term`;
    return `typed AS (
        SELECT word, (ordinality - 1)::int AS bit FROM unnest(${typed}::text[]) WITH ORDINALITY AS typed(word, ordinality)
      ), lexemes AS (
        SELECT typed.bit, found.lexeme FROM typed CROSS JOIN LATERAL (${wordsStartingWith('typed.word')}) AS found
      ), one_word AS (
        SELECT cardinality(${typed}::text[]) = 1 AND count(*) = 1 AS alone FROM lexemes
      ), matched AS (
        SELECT term.product_id, term.category, term.price_amount, term.score AS rank
        ${terms}
        WHERE (SELECT alone FROM one_word)
        UNION ALL
        SELECT term.product_id, term.category, term.price_amount,
               (sum(term.score) / cardinality(${typed}::text[]))::real AS rank
        ${terms}
        WHERE NOT (SELECT alone FROM one_word)
        GROUP BY term.product_id, term.category, term.price_amount
        HAVING bit_or(1::bigint << lexemes.bit) = (1::bigint << cardinality(${typed}::text[])) - 1
      )`;
  }

  private async searchDocuments(query: ProductSearch, misspelt: Set<string>): Promise<SearchPage> {
    const params = new Parameters();
    const filters = this.filtersOf(query, misspelt, params);
    const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
    const facets = query.facets ? this.facets({ source: `catalog.product_search ${where}` }, params.values) : undefined;
    const plan = query.sort === 'relevance' ? this.relevance(query.q, misspelt, params) : COLUMN_SORTS[query.sort];

    const conditions = [...filters];
    if (query.after) {
      const comparison = plan.descending ? '<' : '>';
      conditions.push(
        `(${plan.expression}, product_id) ${comparison} (${plan.parse(params.add(query.after.key))}, ${params.add(query.after.id)}::uuid)`,
      );
    }
    const direction = plan.descending ? 'DESC' : 'ASC';
    const rowsPromise = this.dataSource.query<SearchRow[]>(
      `SELECT product_id, sku, name, description, category, price_amount, currency, popularity, attributes,
              created_at, indexed_version, ${plan.keyText} AS sort_key
       FROM catalog.product_search
       ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY ${plan.expression} ${direction}, product_id ${direction}
       LIMIT ${params.add(query.limit + 1)}`,
      params.values,
    );
    const [rows, facetResult] = await Promise.all([rowsPromise, facets]);
    return this.pageOf(rows, query, facetResult);
  }

  private pageOf(rows: SearchRow[], query: ProductSearch, facets: SearchFacets | undefined): SearchPage {
    // One extra row tells whether another page follows, without a count.
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      hits: page.map(toDocument),
      next: rows.length > query.limit ? { key: last.sort_key, id: last.product_id } : null,
      ...(facets && { facets }),
    };
  }

  /**
   * On PostgreSQL a statement prepared once per session, under a name its text gives, on
   * pipelined sessions that plan it once for all its values: PostgreSQL judged the custom plans of
   * the relevance search cheaper than its generic plan and planned it at every search, 0.7–1 ms of
   * its 1.5–2 ms (docs/decisions/0074). The embedded database runs it as it is.
   */
  private async prepared<T extends object>(text: string, values: unknown[]): Promise<T[]> {
    if (!this.sessions) return this.dataSource.query<T[]>(text, values);
    let name = this.statementNames.get(text);
    if (name === undefined) {
      name = `catalog_search_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      this.statementNames.set(text, name);
    }
    return this.sessions.query<T>({ name, text, values });
  }

  /**
   * The words that are the prefix of no indexed word, so probably misspelt: only these may
   * match loosely (by trigram similarity to a word of the name), which costs a similarity
   * computation per candidate row. Without pg_trgm, none.
   */
  private async wordsToMatchLoosely(q: SearchText | undefined): Promise<Set<string>> {
    if (!this.trigramSchema || !q) return new Set();
    const rows = await this.dataSource.query<{ word: string }[]>(
      `SELECT typed.word FROM unnest($1::text[]) AS typed(word) WHERE NOT ${anyWordStartingWith('typed.word')}`,
      [q.words],
    );
    return new Set(rows.map((r) => r.word));
  }

  /** The WHERE conditions of the query's words and filters: every word must match. */
  private filtersOf(query: ProductSearch, misspelt: Set<string>, params: Parameters): string[] {
    const filters: string[] = [];
    const exact = query.q?.words.filter((w) => !misspelt.has(w)) ?? [];
    if (exact.length > 0) {
      filters.push(`document @@ to_tsquery('simple', ${params.add(exact.map((w) => `${w}:*`).join(' & '))})`);
    }
    for (const word of misspelt) {
      filters.push(`${params.add(word)} OPERATOR(${quoteIdentifier(this.trigramSchema as string)}.<%) name`);
    }
    if (query.category !== undefined) filters.push(`category = ${params.add(query.category)}`);
    if (query.minPrice !== undefined) filters.push(`price_amount >= ${params.add(query.minPrice)}::bigint`);
    if (query.maxPrice !== undefined) filters.push(`price_amount <= ${params.add(query.maxPrice)}::bigint`);
    return filters;
  }

  /**
   * Relevance: the weighted full-text rank of the words, plus when some word is misspelt how
   * close the name is to the whole text. The key is a float4, whose text form Postgres reads
   * back to the same value. Without words every product ranks the same.
   */
  private relevance(q: SearchText | undefined, misspelt: Set<string>, params: Parameters): SortPlan {
    if (!q) return { expression: '0::real', descending: true, keyText: `'0'`, parse: (p) => `${p}::real` };
    const anyWord = `to_tsquery('simple', ${params.add(q.words.map((w) => `${w}:*`).join(' | '))})`;
    const rank =
      misspelt.size > 0
        ? `(ts_rank(document, ${anyWord}) + ${quoteIdentifier(this.trigramSchema as string)}.word_similarity(${params.add(q.text)}, name))::real`
        : `ts_rank(document, ${anyWord})`;
    return { expression: rank, descending: true, keyText: `(${rank})::text`, parse: (p) => `${p}::real` };
  }

  /**
   * Counts over the whole filtered result, not the page: one scan for categories, buckets and
   * total. `source` is the rows to count: a table and its conditions, or a CTE of `prelude`.
   */
  private async facets(
    { prelude = '', source, prepare = false }: { prelude?: string; source: string; prepare?: boolean },
    filterValues: unknown[],
  ): Promise<SearchFacets> {
    const params = new Parameters();
    params.values.push(...filterValues);
    const bounds = params.add([...PRICE_BUCKET_BOUNDS]);
    const text = `${prelude}
       SELECT GROUPING(category, bucket) AS grouping_set, category, bucket, count(*)::int AS n
       FROM (SELECT category, width_bucket(price_amount, ${bounds}::bigint[]) AS bucket FROM ${source}) AS matched
       GROUP BY GROUPING SETS ((category), (bucket), ())`;
    const rows = prepare
      ? await this.prepared<FacetRow>(text, params.values)
      : await this.dataSource.query<FacetRow[]>(text, params.values);
    return toFacets(rows);
  }
}
