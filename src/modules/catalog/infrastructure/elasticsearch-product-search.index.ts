import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client, errors, estypes } from '@elastic/elasticsearch';
import { Transaction } from '../../../../libs/messaging';
import {
  PRICE_BUCKET_BOUNDS,
  ProductSearch,
  ProductSearchIndex,
  SearchDocument,
  SearchFacets,
  SearchIndexRebuild,
  SearchPage,
  SearchPosition,
  SearchSort,
} from '../application/ports/product-search-index';
import { CatalogOptions } from '../catalog.options';

export type ElasticsearchOptions = NonNullable<CatalogOptions['elasticsearch']>;

/** A product as stored in the index (`_source`); the strict mapping refuses any other field. */
type IndexedProduct = Omit<SearchDocument, 'createdAt'> & { createdAt: string };

/** A line of a bulk request: an operation, or the document of the index operation before it. */
type BulkLine = estypes.BulkOperationContainer | IndexedProduct;

interface FacetAggregations {
  categories: estypes.AggregationsStringTermsAggregate;
  prices: estypes.AggregationsRangeAggregate;
}

/** Prefixes of every word up to this length are indexed; a longer word matches when typed whole. */
const MAX_PREFIX_LENGTH = 20;
/** Categories counted by the facets, largest first. */
const MAX_FACET_CATEGORIES = 1000;

/** Set explicitly, so an index without searches keeps refreshing and a write waiting to be visible returns. */
const REFRESH_INTERVAL = '1s';

const SETTINGS: estypes.IndicesIndexSettings = {
  refresh_interval: REFRESH_INTERVAL,
  analysis: {
    filter: { word_prefixes: { type: 'edge_ngram', min_gram: 1, max_gram: MAX_PREFIX_LENGTH } },
    analyzer: {
      words: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
      word_prefixes: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'word_prefixes'] },
    },
  },
};

/** Words as written, and every prefix of them in `.prefix`, searched with whole words. */
const TEXT: estypes.MappingProperty = {
  type: 'text',
  analyzer: 'words',
  fields: { prefix: { type: 'text', analyzer: 'word_prefixes', search_analyzer: 'words' } },
};

const MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    productId: { type: 'keyword' },
    sku: { type: 'keyword' },
    name: TEXT,
    description: TEXT,
    category: { type: 'keyword' },
    price: { properties: { amount: { type: 'long' }, currency: { type: 'keyword' } } },
    popularity: { type: 'integer' },
    attributes: { type: 'flattened' },
    createdAt: { type: 'date' },
    version: { type: 'long' },
  },
};

/** How one sort orders hits, and its key between the cursor's text and the value `search_after` takes. */
interface SortPlan {
  field: string;
  order: estypes.SortOrder;
  keyText: (value: estypes.FieldValue) => string;
  keyValue: (key: string) => estypes.FieldValue;
}

const NUMBER_KEY = { keyText: (value: estypes.FieldValue) => String(value), keyValue: Number };
// Dates sort as epoch milliseconds; the cursor holds them in the microsecond text form the API accepts.
const DATE_KEY = {
  keyText: (value: estypes.FieldValue) => `${new Date(Number(value)).toISOString().slice(0, 23)}000Z`,
  keyValue: (key: string) => Date.parse(key),
};

const SORTS: Record<SearchSort, SortPlan> = {
  relevance: { field: '_score', order: 'desc', ...NUMBER_KEY },
  popularity: { field: 'popularity', order: 'desc', ...NUMBER_KEY },
  price_asc: { field: 'price.amount', order: 'asc', ...NUMBER_KEY },
  price_desc: { field: 'price.amount', order: 'desc', ...NUMBER_KEY },
  newest: { field: 'createdAt', order: 'desc', ...DATE_KEY },
  oldest: { field: 'createdAt', order: 'asc', ...DATE_KEY },
};

/** Bulk results that leave the index as the operation wanted it. */
function isSettled(result: estypes.BulkResponseItem): boolean {
  // The index holds this version of the document or a newer one already (a redelivery, a late write).
  return !result.error || result.error.type === 'version_conflict_engine_exception';
}

function toIndexed(document: SearchDocument): IndexedProduct {
  return { ...document, createdAt: document.createdAt.toISOString() };
}

function toDocument(product: IndexedProduct): SearchDocument {
  return { ...product, createdAt: new Date(product.createdAt) };
}

function bucketsOf<T>(buckets: estypes.AggregationsBuckets<T>): T[] {
  return Array.isArray(buckets) ? buckets : Object.values(buckets);
}

function toFacets(total: estypes.SearchTotalHits | number | undefined, aggregations: FacetAggregations): SearchFacets {
  return {
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    categories: bucketsOf(aggregations.categories.buckets).map((b) => ({ value: String(b.key), count: b.doc_count })),
    // Buckets come in the order of the ranges asked for; empty ones are left out, as nothing falls in them.
    priceBuckets: bucketsOf(aggregations.prices.buckets)
      .map((b, i) => ({ from: PRICE_BUCKET_BOUNDS[i], to: PRICE_BUCKET_BOUNDS[i + 1] ?? null, count: b.doc_count }))
      .filter((b) => b.count > 0),
  };
}

function isNotFound(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 404;
}

/**
 * The search read model in Elasticsearch. Search goes through the alias `<prefix>-products`,
 * writes through it and through `<prefix>-products-write`: both name the same concrete index
 * (`<prefix>-products-<timestamp>`), except during a rebuild, when the write alias names the
 * index being built, so it misses no change made meanwhile.
 *
 * Writes cannot join the write model's transaction. Each document carries its product version
 * as an external version, so Elasticsearch keeps the newest state whatever order writes and
 * redeliveries arrive in (docs/decisions/0009).
 */
export class ElasticsearchProductSearchIndex extends ProductSearchIndex implements OnModuleInit, OnModuleDestroy {
  readonly backend = 'elasticsearch';
  private readonly logger = new Logger(ElasticsearchProductSearchIndex.name);
  private readonly client: Client;
  private readonly alias: string;
  private readonly writeAlias: string;

  constructor(private readonly options: ElasticsearchOptions) {
    super();
    this.client = new Client({ node: options.url });
    this.alias = `${options.indexPrefix}-products`;
    this.writeAlias = `${this.alias}-write`;
  }

  /** Creates the first index and its aliases unless they exist. */
  async onModuleInit(): Promise<void> {
    const exists = await this.client.indices.existsAlias({ name: this.alias }).catch((error: unknown) => {
      throw new Error(`search index: Elasticsearch at ELASTICSEARCH_URL does not answer: ${String(error)}`);
    });
    if (exists) return;
    const index = this.newIndexName();
    await this.client.indices.create({
      index,
      settings: this.settings(),
      mappings: MAPPINGS,
      aliases: { [this.alias]: {}, [this.writeAlias]: {} },
    });
    await this.keepOneFirstIndex();
    this.logger.log(`created search index ${index} behind ${this.alias}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }

  async put(_tx: Transaction, documents: SearchDocument[]): Promise<void> {
    await this.write(documents.flatMap((d) => [this.alias, this.writeAlias].flatMap((alias) => this.indexing(alias, d))));
  }

  async remove(_tx: Transaction, productIds: string[]): Promise<void> {
    await this.write(productIds.flatMap((id) => [this.alias, this.writeAlias].map((alias) => this.deletion(alias, id))));
  }

  async search(query: ProductSearch): Promise<SearchPage> {
    const plan = SORTS[query.sort];
    const response = await this.client.search<IndexedProduct, FacetAggregations>({
      index: this.alias,
      query: this.queryOf(query),
      sort: [{ [plan.field]: { order: plan.order } }, { productId: { order: plan.order } }],
      ...(query.after && { search_after: [plan.keyValue(query.after.key), query.after.id] }),
      // One extra hit tells whether another page follows.
      size: query.limit + 1,
      track_total_hits: query.facets,
      // The pages of one query go to the same shard copies, whose scores agree from page to page.
      ...(query.sort === 'relevance' && query.q && { preference: `q:${query.q.text}` }),
      ...(query.facets && { aggs: this.facetAggregations() }),
    });
    const hits = response.hits.hits.slice(0, query.limit);
    const [lastKey, lastId] = hits[hits.length - 1]?.sort ?? [];
    const next: SearchPosition | null =
      response.hits.hits.length > query.limit ? { key: plan.keyText(lastKey), id: String(lastId) } : null;
    return {
      hits: hits.map((hit) => toDocument(hit._source as IndexedProduct)),
      next,
      ...(query.facets && response.aggregations && { facets: toFacets(response.hits.total, response.aggregations) }),
    };
  }

  /**
   * Builds a new index behind the write alias, so changes indexed meanwhile land in it too; search
   * stays on the current index until `finish` swaps the search alias over in one step.
   */
  async beginRebuild(): Promise<SearchIndexRebuild> {
    const [current] = await this.indicesOf(this.alias);
    if (current === undefined) throw new Error(`no index behind ${this.alias} to rebuild`);
    // A write alias elsewhere is the index of a rebuild that was interrupted: it is replaced.
    const abandoned = (await this.indicesOf(this.writeAlias)).filter((index) => index !== current);
    if (abandoned.length > 0) {
      await this.client.indices.updateAliases({
        actions: [
          { add: { index: current, alias: this.writeAlias } },
          ...abandoned.map((index) => ({ remove_index: { index } })),
        ],
      });
      this.logger.warn(`removed ${abandoned.join(', ')} left by an interrupted rebuild`);
    }
    const building = this.newIndexName();
    // Refreshing as usual: live writes land here too and wait until they are visible.
    await this.client.indices.create({ index: building, settings: this.settings(), mappings: MAPPINGS });
    await this.client.indices.updateAliases({
      actions: [
        { remove: { index: current, alias: this.writeAlias, must_exist: true } },
        { add: { index: building, alias: this.writeAlias } },
      ],
    });
    return {
      put: (_tx, documents) => this.write(documents.flatMap((d) => this.indexing(this.writeAlias, d)), false),
      remove: (_tx, productIds) => this.write(productIds.map((id) => this.deletion(this.writeAlias, id)), false),
      finish: () => this.finishRebuild(current, building),
      abandon: () => this.abandonRebuild(current, building),
    };
  }

  private async finishRebuild(previous: string, built: string): Promise<void> {
    await this.client.indices.refresh({ index: built });
    await this.client.indices.updateAliases({
      actions: [
        { remove: { index: previous, alias: this.alias, must_exist: true } },
        { add: { index: built, alias: this.alias } },
      ],
    });
    await this.client.indices.delete({ index: previous });
    this.logger.log(`search moved from ${previous} to ${built}`);
  }

  private async abandonRebuild(current: string, building: string): Promise<void> {
    await this.client.indices.updateAliases({
      actions: [{ add: { index: current, alias: this.writeAlias } }, { remove_index: { index: building } }],
    });
  }

  /**
   * Instances starting together on an empty cluster may each create a first index. Every one of
   * them keeps the same one (the first by name) and deletes the others.
   */
  private async keepOneFirstIndex(): Promise<void> {
    const [kept, ...extra] = (await this.indicesOf(this.alias)).sort();
    if (extra.length === 0) return;
    await this.client.indices.delete({ index: extra, ignore_unavailable: true });
    this.logger.warn(`kept ${kept}, deleted ${extra.join(', ')} created at the same time`);
  }

  private async indicesOf(alias: string): Promise<string[]> {
    try {
      return Object.keys(await this.client.indices.getAlias({ name: alias }));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  private newIndexName(): string {
    return `${this.alias}-${new Date().toISOString().replace(/\D/g, '')}`;
  }

  private settings(): estypes.IndicesIndexSettings {
    return { ...SETTINGS, number_of_shards: this.options.shards, number_of_replicas: this.options.replicas };
  }

  private indexing(alias: string, document: SearchDocument): BulkLine[] {
    return [
      { index: { _index: alias, _id: document.productId, version: document.version, version_type: 'external' } },
      toIndexed(document),
    ];
  }

  private deletion(alias: string, productId: string): BulkLine {
    return { delete: { _index: alias, _id: productId } };
  }

  /**
   * Live writes wait until search sees them, as the caller drops cached search pages right after;
   * a rebuild's do not, as its index is refreshed when it is finished.
   */
  private async write(operations: BulkLine[], visible = true): Promise<void> {
    if (operations.length === 0) return;
    // require_alias: a missing alias is an error, never a new index with guessed mappings.
    const response = await this.client.bulk({ operations, require_alias: true, refresh: visible ? 'wait_for' : false });
    if (!response.errors) return;
    const failed = response.items.flatMap((item) => Object.values(item)).filter((result) => !isSettled(result));
    if (failed.length === 0) return;
    const { error } = failed[0];
    throw new Error(`Elasticsearch refused ${failed.length} writes, first: ${error?.type}: ${error?.reason}`);
  }

  /** Every word must match, as a prefix or with a typo, in the name (weighed 3) or the description. */
  private queryOf(query: ProductSearch): estypes.QueryDslQueryContainer {
    const must: estypes.QueryDslQueryContainer[] = (query.q?.words ?? []).map((word) => ({
      bool: {
        should: [
          { multi_match: { query: word, fields: ['name.prefix^3', 'description.prefix'] } },
          { multi_match: { query: word, fields: ['name^3', 'description'], fuzziness: 'AUTO' } },
        ],
        minimum_should_match: 1,
      },
    }));
    const filter: estypes.QueryDslQueryContainer[] = [];
    if (query.category !== undefined) filter.push({ term: { category: query.category } });
    if (query.minPrice !== undefined || query.maxPrice !== undefined) {
      filter.push({ range: { 'price.amount': { gte: query.minPrice, lte: query.maxPrice } } });
    }
    return { bool: { must, filter } };
  }

  /** Counted over every hit of the query, not only the page. */
  private facetAggregations(): Record<keyof FacetAggregations, estypes.AggregationsAggregationContainer> {
    return {
      categories: { terms: { field: 'category', size: MAX_FACET_CATEGORIES } },
      prices: {
        range: {
          field: 'price.amount',
          ranges: PRICE_BUCKET_BOUNDS.map((from, i) => {
            const to: number | undefined = PRICE_BUCKET_BOUNDS[i + 1];
            return to === undefined ? { from } : { from, to };
          }),
        },
      },
    };
  }
}
