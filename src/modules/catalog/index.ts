export { CatalogModule } from './catalog.module';
export { defaultIndexTimeoutMs, seedCatalog } from './application/seed-catalog/seed-catalog';
