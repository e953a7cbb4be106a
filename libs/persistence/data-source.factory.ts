import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pg from 'pg';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { StartupError } from '../startup';
import { DataDirectoryLock } from './data-directory-lock';
import { EmbeddedDatabase } from './embedded-database';
import { QueryTimeoutEndsClient } from './query-timeout-client';
import { readyMadeCluster } from './ready-made-cluster';
import { SerializedPGlitePool } from './serialized-pglite-pool';

export interface DatabaseOptions {
  /** Postgres connection string; when absent the embedded PGlite database is used. */
  url?: string;
  /** PGlite data directory, or `memory://` for a throwaway database. */
  dataDir: string;
  /** The embedded database's buffer cache (`shared_buffers`) in MB. */
  embeddedSharedBuffersMb?: number;
  poolSize?: number;
  /**
   * The longest a query may wait for its answer from a PostgreSQL server before it fails and its
   * connection is closed; none when unset. Migrations are never bounded.
   */
  queryTimeoutMs?: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  migrations: MixedList<Function>;
  logging?: boolean;
  /** An embedded database from PGlite's initdb, never from the ready-made cluster: for making one. */
  fromScratch?: boolean;
}

export function isEmbedded(options: Pick<DatabaseOptions, 'url'>): boolean {
  return !options.url;
}

/** TypeORM's PostgreSQL driver needs only a `Pool` of the `pg` module: ours leases the embedded database. */
function embeddedDriver({ dataDir, fromScratch, embeddedSharedBuffersMb }: DatabaseOptions): { Pool: unknown } {
  const loadDataDir = fromScratch ? undefined : readyMadeCluster(dataDir);
  return { Pool: SerializedPGlitePool.leasing(new EmbeddedDatabase({ dataDir, loadDataDir, sharedBuffersMb: embeddedSharedBuffersMb })) };
}

/** The embedded database behind `dataSource`: for dumping its data directory. */
export function embeddedDatabaseOf(dataSource: DataSource): EmbeddedDatabase {
  const { master } = dataSource.driver as unknown as { master?: unknown };
  if (!(master instanceof SerializedPGlitePool)) throw new Error('not an embedded database');
  return master.database;
}

function commonOptions(options: DatabaseOptions) {
  return {
    type: 'postgres' as const,
    migrations: options.migrations,
    migrationsRun: false,
    synchronize: false,
    logging: options.logging ?? false,
  };
}

/**
 * `pg` waits forever by default: for a connection when the pool is full or the server is silent,
 * on a socket whose peer is gone, and for a query's answer. A bounded wait turns a database that
 * stopped answering into errors the caller can see and retry, instead of requests that hang. The
 * bound on a query's answer is `queryTimeoutMs`, which migrations go without.
 */
export const BOUNDED_WAITS = { connectionTimeoutMillis: 10_000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };

/**
 * One DataSource for every context: schemas separate the contexts, not connections. On a
 * PostgreSQL server the migrations run first, on connections of their own without the query
 * timeout: a migration may rightly take minutes, or wait that long for another process's.
 */
export async function createDataSource(options: DatabaseOptions): Promise<DataSource> {
  const common = commonOptions(options);
  if (isEmbedded(options)) {
    const embedded = await openEmbedded(options, common);
    if (!embedded.isInitialized) await embedded.initialize();
    await embedded.runMigrations({ transaction: 'each' });
    return embedded;
  }
  // The `pg` this code imports, not the copy TypeORM would require at run time: in the bundled
  // service those are two copies, and the search index's prepared statements need the pool to
  // be an instance of the `Pool` it knows (docs/decisions/0073).
  const server = { ...common, url: options.url, driver: pg };
  // Two connections: one holds the migration lock, the other migrates.
  await migrateExclusively(new DataSource({ ...server, extra: { max: 2, ...BOUNDED_WAITS } }));
  const queryTimeout = options.queryTimeoutMs === undefined ? {} : { query_timeout: options.queryTimeoutMs, Client: QueryTimeoutEndsClient };
  const dataSource = new DataSource({ ...server, extra: { max: options.poolSize ?? 20, ...BOUNDED_WAITS, ...queryTimeout } });
  await dataSource.initialize();
  return dataSource;
}

/** The embedded database cannot be opened: its files are damaged. The message says how to recover. */
export class EmbeddedDatabaseDamagedError extends StartupError {
  constructor(dataDir: string, cause: unknown) {
    super(
      `the embedded database in ${resolve(dataDir)} cannot be opened (${String(cause).split('\n')[0]}): ` +
        `restore a copy of that directory, or move it aside to start with an empty database`,
      { cause },
    );
  }
}

/** A DataSource on a data directory that it holds, exclusively, until it is destroyed. */
class LockedDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly lock: DataDirectoryLock,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    try {
      await super.destroy();
    } finally {
      this.lock.release();
    }
  }
}

/** Opens the data directory only once this process holds it: nothing looks at its files before. */
async function openEmbedded(options: DatabaseOptions, common: ReturnType<typeof commonOptions>): Promise<DataSource> {
  const { dataDir } = options;
  if (dataDir.startsWith('memory://')) return new DataSource({ ...common, driver: embeddedDriver(options) });
  mkdirSync(dataDir, { recursive: true });
  const lock = await DataDirectoryLock.acquire(dataDir);
  const existed = existsSync(join(dataDir, 'PG_VERSION'));
  try {
    const dataSource = new LockedDataSource({ ...common, driver: embeddedDriver(options) }, lock);
    await dataSource.initialize();
    return dataSource;
  } catch (error) {
    lock.release();
    // PGlite aborts without a reason when a directory it created earlier is damaged.
    throw existed ? new EmbeddedDatabaseDamagedError(dataDir, error) : error;
  }
}

/** Arbitrary, fixed: the advisory lock that makes processes sharing a database migrate one at a time. */
const MIGRATION_LOCK = 7_670_000;

/**
 * Split processes start together against one database; only one may run the migrations at a
 * time. Closes `dataSource` when done.
 */
async function migrateExclusively(dataSource: DataSource): Promise<void> {
  await dataSource.initialize();
  try {
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.release();
    }
  } finally {
    await dataSource.destroy();
  }
}
