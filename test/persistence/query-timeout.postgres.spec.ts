import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource } from '../../libs/persistence';
import { createTestDatabase } from '../support/test-env';

const server = process.env.TEST_DATABASE_URL;
if (!server) process.stdout.write('query timeout suite skipped: it needs a real Postgres server in TEST_DATABASE_URL\n');
const describeOnServer = server ? describe : describe.skip;

const QUERY_TIMEOUT_MS = 1000;
/** Far longer than the timeout: the server still runs it when the next query comes. */
const SLOW_QUERY = 'SELECT pg_sleep(5)';

/** A migration slower than the query timeout, as one over a large table is. */
class SlowMigration1700000000000 implements MigrationInterface {
  name = 'SlowMigration1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_sleep(${(QUERY_TIMEOUT_MS * 1.5) / 1000})`);
  }

  async down(): Promise<void> {}
}

describeOnServer('A query past its timeout on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  // One connection, so a query after the slow one could only wait behind it if that connection were handed out again.
  beforeEach(async () => {
    dataSource = await createDataSource({
      url: database.env.DATABASE_URL,
      dataDir: 'unused',
      poolSize: 1,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
      migrations: [SlowMigration1700000000000],
    });
  });

  afterEach(async () => {
    await dataSource?.destroy();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('leaves migrations unbounded: one slower than the timeout has run', async () => {
    expect(await dataSource.query('SELECT name FROM migrations')).toEqual([{ name: 'SlowMigration1700000000000' }]);
  });

  it('fails, and its connection, still waiting for the answer, is not handed out again', async () => {
    await expect(dataSource.query(SLOW_QUERY)).rejects.toThrow('Query read timeout');

    await expect(dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it('fails its transaction, whose rollback does not wait behind it either', async () => {
    await expect(dataSource.transaction((manager) => manager.query(SLOW_QUERY))).rejects.toThrow('Query read timeout');

    await expect(dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });
});
