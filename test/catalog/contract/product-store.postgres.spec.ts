import { startTestApp } from '../../support/test-app';
import { productStoreContract } from './product-store.contract';

const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite';

// The default write model: embedded PGlite, or a fresh database on TEST_DATABASE_URL's server.
describe(`ProductStore on Postgres (${database})`, () => {
  productStoreContract(async () => {
    const app = await startTestApp();
    return { app, close: () => app.close() };
  });
});
