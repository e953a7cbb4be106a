import { createConnection } from 'mongoose';
import { newId } from '../../../libs/persistence';
import { startTestApp } from '../../support/test-app';
import { productStoreContract } from './product-store.contract';

const mongodbUrl = process.env.MONGODB_URL;
if (!mongodbUrl) {
  process.stdout.write('ProductStore on MongoDB skipped: MONGODB_URL is not set (a replica set, for transactions)\n');
}
const describeOnMongo = mongodbUrl ? describe : describe.skip;

/**
 * The same server with a database of its own. A database named in the original path was where
 * the credentials live, so it stays the authentication database.
 */
function withDatabase(url: string, database: string): string {
  const [address, query = ''] = url.split('?', 2);
  const pathStart = address.indexOf('/', address.indexOf('://') + 3);
  const hosts = pathStart === -1 ? address : address.slice(0, pathStart);
  const original = pathStart === -1 ? '' : address.slice(pathStart + 1);
  const options = new URLSearchParams(query);
  if (original && !options.has('authSource')) options.set('authSource', original);
  const rest = options.toString();
  return `${hosts}/${database}${rest ? `?${rest}` : ''}`;
}

describeOnMongo(`ProductStore on MongoDB${mongodbUrl ? '' : ': skipped — MONGODB_URL is not set'}`, () => {
  productStoreContract(async () => {
    const url = withDatabase(mongodbUrl as string, `catalog_test_${newId().replace(/-/g, '')}`);
    const app = await startTestApp({ MONGODB_URL: url });
    return {
      app,
      close: async () => {
        await app.close();
        const connection = await createConnection(url).asPromise();
        await connection.dropDatabase();
        await connection.close();
      },
    };
  });
});
