import { mkdirSync } from 'node:fs';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteDriver } from 'typeorm-pglite';
import { readyMadeCluster } from './ready-made-cluster';
import { SerializedPGlitePool } from './serialized-pglite-pool';

export interface DatabaseOptions {
  /** Postgres connection string; when absent the embedded PGlite database is used. */
  url?: string;
  /** PGlite data directory, or `memory://` for a throwaway database. */
  dataDir: string;
  poolSize?: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  migrations: MixedList<Function>;
  logging?: boolean;
}

export function isEmbedded(options: Pick<DatabaseOptions, 'url'>): boolean {
  return !options.url;
}

function embeddedDriver(dataDir: string): unknown {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // pg_trgm gives embedded search the same typo tolerance as a Postgres server with contrib.
  const options = { dataDir, extensions: { pg_trgm }, ...readyMadeCluster(dataDir) };
  const driver = new PGliteDriver(options).driver as { Pool: unknown };
  driver.Pool = SerializedPGlitePool;
  return driver;
}

/** One DataSource for every context: schemas separate the contexts, not connections. */
export async function createDataSource(options: DatabaseOptions): Promise<DataSource> {
  const common = {
    type: 'postgres' as const,
    migrations: options.migrations,
    migrationsRun: false,
    synchronize: false,
    logging: options.logging ?? false,
  };
  const config: DataSourceOptions = isEmbedded(options)
    ? { ...common, driver: embeddedDriver(options.dataDir) }
    : { ...common, url: options.url, extra: { max: options.poolSize ?? 20 } };
  const dataSource = new DataSource(config);
  await dataSource.initialize();
  if (isEmbedded(options)) await dataSource.runMigrations({ transaction: 'each' });
  else await migrateExclusively(dataSource);
  return dataSource;
}

/** Arbitrary, fixed: the advisory lock that makes processes sharing a database migrate one at a time. */
const MIGRATION_LOCK = 7_670_000;

/** Split processes start together against one database; only one may run the migrations at a time. */
async function migrateExclusively(dataSource: DataSource): Promise<void> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
