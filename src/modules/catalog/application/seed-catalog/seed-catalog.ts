import { INestApplicationContext } from '@nestjs/common';
import { CatalogSeeder, CatalogSeedReport } from './catalog-seeder';

/** Adds `count` generated products to the catalog of a running application and waits for their indexing. */
export function seedCatalog(app: INestApplicationContext, count: number): Promise<CatalogSeedReport> {
  return app.get(CatalogSeeder, { strict: false }).seed(count);
}
