import { Injectable } from '@nestjs/common';
import { TwoLevelCache } from '../../../../libs/cache';
import { ProductSearch, SearchDocument, SearchPage } from './ports/product-search-index';
import { ProductView } from './product.view';

const PRODUCT = 'catalog.product';
const SEARCH = 'catalog.search';
const PRODUCT_TTL_MS = 60 * 60 * 1000;
const SEARCH_TTL_MS = 5 * 60 * 1000;

/** What the cache holds: the same data after a JSON round trip (dates as ISO strings). */
type Cached<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : Cached<T[K]> };

function reviveProduct(cached: Cached<ProductView>): ProductView {
  const { indexedAt } = cached.indexing;
  return {
    ...(cached as unknown as ProductView),
    createdAt: new Date(cached.createdAt),
    updatedAt: new Date(cached.updatedAt),
    indexing: { ...cached.indexing, indexedAt: indexedAt === null ? null : new Date(indexedAt) },
  };
}

function reviveHit(cached: Cached<SearchDocument>): SearchDocument {
  return { ...(cached as unknown as SearchDocument), createdAt: new Date(cached.createdAt) };
}

/** One key per distinct query: the fields in a fixed order. */
function searchKey(query: ProductSearch): string {
  const { q, category, minPrice, maxPrice, sort, limit, after, facets } = query;
  return JSON.stringify([q?.text, q?.words, category, minPrice, maxPrice, sort, limit, after?.key, after?.id, facets]);
}

/**
 * Products (1 h) and search pages (5 min) in the two-level cache. Entries leave when the
 * write model or the index changes: this process drops them at once, others through Redis.
 */
@Injectable()
export class CatalogCache {
  constructor(private readonly cache: TwoLevelCache) {}

  async product(id: string, load: () => Promise<ProductView | undefined>): Promise<ProductView | undefined> {
    const { value } = await this.cache.getOrLoad<Cached<ProductView> | null>(PRODUCT, id, PRODUCT_TTL_MS, async () => {
      const product = await load();
      return product ? (JSON.parse(JSON.stringify(product)) as Cached<ProductView>) : null;
    });
    return value === null ? undefined : reviveProduct(value);
  }

  async search(query: ProductSearch, load: () => Promise<SearchPage>): Promise<SearchPage> {
    const { value } = await this.cache.getOrLoad<Cached<SearchPage>>(
      SEARCH,
      searchKey(query),
      SEARCH_TTL_MS,
      async () => JSON.parse(JSON.stringify(await load())) as Cached<SearchPage>,
    );
    return { ...(value as unknown as SearchPage), hits: value.hits.map(reviveHit) };
  }

  /** After a product's write or indexing committed. */
  async productChanged(id: string): Promise<void> {
    await this.cache.invalidate(PRODUCT, id);
  }

  /** After the search index changed: every cached page may be stale. */
  async searchChanged(): Promise<void> {
    await this.cache.invalidateNamespace(SEARCH);
  }
}
