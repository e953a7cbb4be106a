import { UnitOfWork } from '../../../libs/messaging';
import { ProductSearchIndex } from '../../../src/modules/catalog/application/ports/product-search-index';
import { PostgresProductSearchIndex } from '../../../src/modules/catalog/infrastructure/postgres-product-search.index';
import { sql } from '../../support/shop';
import { startTestApp } from '../../support/test-app';
import { productSearchIndexContract } from './product-search-index.contract';

// On PGlite, or on the Postgres server in TEST_DATABASE_URL.
describe(PostgresProductSearchIndex.name, () => {
  productSearchIndexContract(async () => {
    const app = await startTestApp();
    const index = app.nest.get(ProductSearchIndex);
    expect(index).toBeInstanceOf(PostgresProductSearchIndex);
    const unitOfWork = app.nest.get(UnitOfWork);
    const [{ installed }] = await sql<{ installed: boolean }>(
      app,
      `SELECT to_regclass('catalog.product_search_name_trgm') IS NOT NULL AS installed`,
    );
    return { index, transaction: (work) => unitOfWork.run(work), matchesTypos: installed, close: () => app.close() };
  });
});
