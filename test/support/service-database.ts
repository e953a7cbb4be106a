import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../../libs/persistence';
import { MIGRATIONS } from '../../migrations';
import { createTestDatabase } from './test-env';

export type Sql = (query: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * A database a service process keeps across kills and restarts: a fresh one on TEST_DATABASE_URL's
 * server, else an embedded data directory on disk (the in-memory one dies with the process).
 */
export async function serviceDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) return createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'service-database-'));
  return { env: { DATA_DIR: dataDir }, drop: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })) };
}

/**
 * Runs `work` on that database, migrated. An embedded one only while no service runs on it: one
 * process at a time holds a data directory.
 */
export async function onServiceDatabase<T>(env: Record<string, string>, work: (sql: Sql) => Promise<T>): Promise<T> {
  const dataSource = await createDataSource({ url: env.DATABASE_URL, dataDir: env.DATA_DIR ?? 'memory://', migrations: MIGRATIONS });
  try {
    return await work((query, params) => dataSource.query(query, params));
  } finally {
    await dataSource.destroy();
  }
}
