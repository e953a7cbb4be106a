import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { performance } from 'node:perf_hooks';
import { Json, TwoLevelCache } from '../../../../libs/cache';
import { ProductSearch, SearchDocument, SearchPage } from './ports/product-search-index';
import { ProductView } from './product.view';

const PRODUCT = 'catalog.product';
const SEARCH = 'catalog.search';
const PRODUCT_TTL_MS = 60 * 60 * 1000;
const SEARCH_TTL_MS = 5 * 60 * 1000;
/** Queries remembered as asked once: their keys, at most this many and this many UTF-16 units together. */
const ASKED_ONCE_MAX_QUERIES = 20_000;
const ASKED_ONCE_MAX_KEY_UNITS = 4 * 1024 * 1024;
/** Longest a cached search page lags a change of the index: search pages are dropped at most once per window. */
export const SEARCH_INVALIDATION_WINDOW_MS = 1000;

function reviveProduct(cached: Json<ProductView>): ProductView {
  const { indexedAt } = cached.indexing;
  return {
    ...(cached as unknown as ProductView),
    createdAt: new Date(cached.createdAt),
    updatedAt: new Date(cached.updatedAt),
    indexing: { ...cached.indexing, indexedAt: indexedAt === null ? null : new Date(indexedAt) },
  };
}

function reviveHit(cached: Json<SearchDocument>): SearchDocument {
  return { ...(cached as unknown as SearchDocument), createdAt: new Date(cached.createdAt) };
}

function revivePage(cached: Json<SearchPage>): SearchPage {
  return { ...(cached as unknown as SearchPage), hits: cached.hits.map(reviveHit) };
}

/** One key per distinct query: the fields in a fixed order. */
function searchKey(query: ProductSearch): string {
  const { q, category, minPrice, maxPrice, sort, limit, after, facets } = query;
  return JSON.stringify([q?.text, q?.words, category, minPrice, maxPrice, sort, limit, after?.key, after?.id, facets]);
}

/**
 * Products (1 h) and search pages (5 min, of queries asked more than once) in the two-level
 * cache. Entries leave when the write model or the index changes, in this process and in others
 * through Redis: a product at once, the search pages within SEARCH_INVALIDATION_WINDOW_MS.
 */
@Injectable()
export class CatalogCache implements OnModuleDestroy {
  private readonly logger = new Logger(CatalogCache.name);
  private searchInvalidatedAt = -Infinity;
  private pendingSearchInvalidation?: NodeJS.Timeout;
  /** One `derive` per presenter, so each cached product is presented once by each. */
  private readonly presenters = new WeakMap<(product: ProductView) => unknown, (cached: unknown) => unknown>();
  private readonly askedOnce = new LRUCache<string, true>({
    max: ASKED_ONCE_MAX_QUERIES,
    maxSize: ASKED_ONCE_MAX_KEY_UNITS,
    sizeCalculation: (_, key) => key.length,
    ttl: SEARCH_TTL_MS,
  });

  constructor(private readonly cache: TwoLevelCache) {}

  async product(id: string, load: () => Promise<ProductView | undefined>): Promise<ProductView | undefined> {
    const { value } = await this.cache.getOrLoad(PRODUCT, id, PRODUCT_TTL_MS, async () => (await load()) ?? null);
    return value === null ? undefined : reviveProduct(value);
  }

  /**
   * The product as `present` turns it into an answer, when this instance's L1 holds it now:
   * presented once per cached version and kept with it, so a hit does no more than a lookup.
   * Undefined when L1 does not hold it, or holds that it does not exist: read it with `product`.
   */
  presentedProduct<R>(id: string, present: (product: ProductView) => R): R | undefined {
    let derive = this.presenters.get(present);
    if (!derive) {
      derive = (cached) => (cached === null ? undefined : present(reviveProduct(cached as Json<ProductView>)));
      this.presenters.set(present, derive);
    }
    return this.cache.peek(PRODUCT, id, derive) as R | undefined;
  }

  /**
   * A page is kept from the second time its query is asked within SEARCH_TTL_MS. Most queries
   * (words, filters, a page further on) are asked once: keeping them cost a serialisation and a
   * parse of the page per search, and pushed the pages of repeated queries out of L1. A query
   * asked for the first time is still answered from the cache when a page is there (kept by
   * another instance, in Redis).
   */
  async search(query: ProductSearch, load: () => Promise<SearchPage>): Promise<SearchPage> {
    const key = searchKey(query);
    if (this.askedOnce.has(key)) {
      const { value } = await this.cache.getOrLoad(SEARCH, key, SEARCH_TTL_MS, load);
      return revivePage(value);
    }
    this.askedOnce.set(key, true);
    const cached = await this.cache.get<SearchPage>(SEARCH, key);
    return cached ? revivePage(cached.value) : load();
  }

  /** After a product's write or indexing committed. */
  async productChanged(id: string): Promise<void> {
    await this.cache.invalidate(PRODUCT, id);
  }

  /**
   * After the search index changed: every cached page may be stale. The first change after a
   * quiet window drops the pages at once; later ones in the window are dropped together at its
   * end, so bulk indexing (one change per product) leaves the cache serving between the drops
   * instead of emptying it for every product.
   */
  async searchChanged(): Promise<void> {
    if (this.pendingSearchInvalidation) return;
    const wait = this.searchInvalidatedAt + SEARCH_INVALIDATION_WINDOW_MS - performance.now();
    if (wait <= 0) {
      await this.invalidateSearch();
      return;
    }
    this.pendingSearchInvalidation = setTimeout(() => {
      this.pendingSearchInvalidation = undefined;
      this.invalidateSearch().catch((error: unknown) => this.logger.warn(`search pages not invalidated: ${String(error)}`));
    }, wait);
  }

  /** A change still waiting for its window must not be lost with the process (say, at the end of a reindex). */
  async onModuleDestroy(): Promise<void> {
    if (!this.pendingSearchInvalidation) return;
    clearTimeout(this.pendingSearchInvalidation);
    this.pendingSearchInvalidation = undefined;
    await this.invalidateSearch();
  }

  private async invalidateSearch(): Promise<void> {
    this.searchInvalidatedAt = performance.now();
    await this.cache.invalidateNamespace(SEARCH);
  }
}
