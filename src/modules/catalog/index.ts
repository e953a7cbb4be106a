export { CatalogModule } from './catalog.module';
export { seedCatalog } from './application/seed-catalog/seed-catalog';
