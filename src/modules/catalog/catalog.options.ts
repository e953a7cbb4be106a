export const CATALOG_OPTIONS = Symbol('CATALOG_OPTIONS');

export interface CatalogOptions {
  /** Create the demo products when the product table is empty at start-up. */
  seedDemo: boolean;
  /** MongoDB write model instead of Postgres when set. */
  mongodbUrl?: string;
  /** Elasticsearch search read model instead of Postgres when set. */
  elasticsearch?: { url: string; indexPrefix: string; shards: number; replicas: number };
}
