import { mkdirSync } from 'node:fs';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteDriver } from 'typeorm-pglite';
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
  const driver = new PGliteDriver({ dataDir, extensions: { pg_trgm } }).driver as { Pool: unknown };
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
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
