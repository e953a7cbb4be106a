import { INestApplicationContext } from '@nestjs/common';
import { CatalogSeeder, CatalogSeedOptions, CatalogSeedReport } from './catalog-seeder';

/** Adds generated products to the catalog of a running application and waits for their indexing. */
export function seedCatalog(app: INestApplicationContext, options: CatalogSeedOptions): Promise<CatalogSeedReport> {
  return app.get(CatalogSeeder, { strict: false }).seed(options);
}
