import { Blob } from 'node:buffer';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { MIGRATIONS } from '../../migrations';
import { createDataSource, embeddedDatabaseOf } from './data-source.factory';
import { readyMadeCluster, saveReadyMadeCluster } from './ready-made-cluster';

const migrationNames = (migrations: readonly { name: string }[]): string[] => migrations.map((migration) => migration.name);

describe(readyMadeCluster.name, () => {
  const work = mkdtempSync(join(tmpdir(), 'ready-made-cluster-'));
  const cluster = join(work, 'cluster.tar.gz');
  // Made by a build from before the latest migration was written.
  const builtWith = MIGRATIONS.slice(0, -1);

  beforeAll(async () => {
    // Which start a new directory took is logged; a test reads it from the files, not the console.
    if (!process.env.LOG_LEVEL) Logger.overrideLogger(false);
    const dataSource = await createDataSource({ dataDir: 'memory://', migrations: builtWith, fromScratch: true });
    try {
      await saveReadyMadeCluster(embeddedDatabaseOf(dataSource), cluster);
    } finally {
      await dataSource.destroy();
    }
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('leaves a data directory that holds a cluster as it is', () => {
    const dataDir = join(work, 'existing');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
    expect(readyMadeCluster(dataDir, cluster)).toBeUndefined();
  });

  it('has nothing to offer when the build made no cluster', () => {
    expect(readyMadeCluster(join(work, 'new'), join(work, 'absent.tar.gz'))).toBeUndefined();
  });

  it('starts a new data directory from the cluster, and migrations written since the build still run', async () => {
    const dataDir = join(work, 'data');
    expect(readyMadeCluster(dataDir, cluster)).toBe(cluster);
    const pglite = await PGlite.create({ dataDir, extensions: { pg_trgm }, loadDataDir: new Blob([readFileSync(cluster)]) });
    let loaded: string[];
    try {
      // initdb would have left no migrations table: these rows come from the cluster.
      loaded = (await pglite.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).rows.map((row) => row.name);
    } finally {
      await pglite.close();
    }
    expect(loaded).toEqual(migrationNames(builtWith));

    const dataSource = await createDataSource({ dataDir, migrations: MIGRATIONS });
    try {
      const applied: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
      expect(applied.map((row) => row.name)).toEqual(migrationNames(MIGRATIONS));
    } finally {
      await dataSource.destroy();
    }
  }, 120_000);
});
