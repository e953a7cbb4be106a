import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { CacheMetrics, cacheMetricsIn, TwoLevelCache } from '../../../../libs/cache';
import { CatalogCache } from './catalog-cache';
import { ProductSearch, SearchPage } from './ports/product-search-index';

const PAGE: SearchPage = {
  hits: [
    {
      productId: '0190a000-0000-7000-8000-000000000001',
      sku: 'LAMP-1',
      name: 'Desk lamp',
      description: 'Brass',
      category: 'lighting',
      price: { amount: 4200, currency: 'EUR' },
      popularity: 3,
      attributes: {},
      createdAt: new Date('2026-01-02T03:04:05.000Z'),
      version: 1,
    },
  ],
  next: null,
};

function query(category: string): ProductSearch {
  return { q: { text: 'lamp', words: ['lamp'] }, category, sort: 'relevance', limit: 20, facets: false };
}

describe(CatalogCache.name, () => {
  let metrics: CacheMetrics;
  let cache: TwoLevelCache;
  let catalogCache: CatalogCache;
  const kept = async () => (await metrics.loads.get()).values.find((v) => v.labels.namespace === 'catalog.search')?.value ?? 0;
  const load = jest.fn(() => Promise.resolve(PAGE));

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    metrics = cacheMetricsIn(new Registry());
    cache = new TwoLevelCache({ l1MaxEntries: 100 }, metrics);
    await cache.onModuleInit();
    catalogCache = new CatalogCache(cache);
    load.mockClear();
  });

  afterEach(async () => {
    await catalogCache.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('keeps a search page from the second time its query is asked, and answers the third from it', async () => {
    expect(await catalogCache.search(query('lighting'), load)).toEqual(PAGE);
    expect(await kept()).toBe(0);

    expect(await catalogCache.search(query('lighting'), load)).toEqual(PAGE);
    expect(await kept()).toBe(1);
    expect(await catalogCache.search(query('lighting'), load)).toEqual(PAGE);
    expect(load).toHaveBeenCalledTimes(2);

    expect(await catalogCache.search(query('desks'), load)).toEqual(PAGE);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('answers a query asked for the first time from a page the cache holds already', async () => {
    await catalogCache.search(query('lighting'), load);
    await catalogCache.search(query('lighting'), load);
    const elsewhere = new CatalogCache(cache);

    expect(await elsewhere.search(query('lighting'), load)).toEqual(PAGE);
    expect(load).toHaveBeenCalledTimes(2);
    await elsewhere.onModuleDestroy();
  });
});
