import { DynamicModule, Module, Provider } from '@nestjs/common';
import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { CachedProductReads } from './api/cached-product-reads';
import { ProductsController } from './api/products.controller';
import { ArchiveProductHandler } from './application/archive-product/archive-product.handler';
import { BulkCreateProductsHandler } from './application/bulk-create-products/bulk-create-products.handler';
import { CreateProductHandler } from './application/create-product/create-product.handler';
import { GetProductHandler } from './application/get-product/get-product.handler';
import { catalogInbound } from './application/inbound-routes';
import { CatalogCache } from './application/catalog-cache';
import { IndexProductHandler } from './application/index-product/index-product.handler';
import { ProductSearchIndex } from './application/ports/product-search-index';
import { ProductStore } from './application/ports/product-store';
import { SearchIndexRebuilder } from './application/rebuild-search-index/search-index.rebuilder';
import { SEARCH_QUERIES, SEARCH_QUERY_DURATION, SearchProductsHandler } from './application/search-products/search-products.handler';
import { CatalogSeeder } from './application/seed-catalog/catalog-seeder';
import { DemoCatalogSeeder } from './application/seed-demo-catalog/demo-catalog.seeder';
import { UpdateProductHandler } from './application/update-product/update-product.handler';
import { CATALOG_OPTIONS, CatalogOptions } from './catalog.options';
import { PostgresProductSearchIndex } from './infrastructure/postgres-product-search.index';
import { mongoProductStoreProviders } from './infrastructure/mongo-product-store.providers';
import { PostgresProductStore } from './infrastructure/postgres-product.store';

/**
 * The search read model in Elasticsearch when configured, else in the catalog's Postgres schema.
 * The Elasticsearch client is loaded only by a process that uses it.
 */
function searchIndexProvider({ elasticsearch }: CatalogOptions): Provider {
  if (!elasticsearch) return { provide: ProductSearchIndex, useClass: PostgresProductSearchIndex };
  return {
    provide: ProductSearchIndex,
    useFactory: async () =>
      new (await import('./infrastructure/elasticsearch-product-search.index')).ElasticsearchProductSearchIndex(elasticsearch),
  };
}

/**
 * The products for sale, as CQRS: a write model the admin edits, announcing every change with
 * ProductCreatedV1 / ProductUpdatedV1, and a search read model fed from those same events.
 */
@Module({})
export class CatalogModule {
  static forRoot(options: CatalogOptions): DynamicModule {
    return {
      module: CatalogModule,
      controllers: [ProductsController],
      providers: [
        { provide: CATALOG_OPTIONS, useValue: options },
        CatalogCache,
        CachedProductReads,
        // commands and queries
        CreateProductHandler,
        BulkCreateProductsHandler,
        UpdateProductHandler,
        ArchiveProductHandler,
        GetProductHandler,
        SearchProductsHandler,
        IndexProductHandler,
        catalogInbound.provider,
        // read model rebuild, seeding
        SearchIndexRebuilder,
        CatalogSeeder,
        DemoCatalogSeeder,
        // adapters
        ...(options.mongodbUrl
          ? mongoProductStoreProviders(options.mongodbUrl)
          : [{ provide: ProductStore, useClass: PostgresProductStore }]),
        searchIndexProvider(options),
        makeCounterProvider({
          name: SEARCH_QUERIES,
          help: 'Searches the search index answered (cached pages not counted), by backend and result (ok, error)',
          labelNames: ['backend', 'result'],
        }),
        makeHistogramProvider({
          name: SEARCH_QUERY_DURATION,
          help: 'Time the search index took to answer a search, by backend',
          labelNames: ['backend'],
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        }),
      ],
    };
  }
}
