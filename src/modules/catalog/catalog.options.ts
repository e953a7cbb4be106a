export const CATALOG_OPTIONS = Symbol('CATALOG_OPTIONS');

export interface CatalogOptions {
  /** Create the demo products when the product table is empty at start-up. */
  seedDemo: boolean;
}
