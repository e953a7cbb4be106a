import type { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { EmbeddedDatabase } from './embedded-database';
import { readyMadeCluster } from './ready-made-cluster';

describe(EmbeddedDatabase.name, () => {
  let database: EmbeddedDatabase;

  beforeAll(() => {
    // A thread that ends with statements waiting is logged; the tests read it from the rejections.
    if (!process.env.LOG_LEVEL) Logger.overrideLogger(false);
  });

  beforeEach(() => {
    // From the build's ready-made cluster when there is one: initdb takes seconds.
    database = new EmbeddedDatabase({ dataDir: 'memory://', loadDataDir: readyMadeCluster('memory://') });
  });

  afterEach(() => database.close());

  it('answers statements in the order they were sent, with values as PGlite parses them', async () => {
    await database.exec('CREATE TABLE item (id int PRIMARY KEY, at timestamptz NOT NULL, data bytea, ok boolean)');
    const at = new Date('2026-12-03T21:00:00.000Z');
    const inserts = [1, 2, 3].map((id) =>
      database.query('INSERT INTO item VALUES ($1, $2, $3, $4)', [id, at, Buffer.from([id, 255]), id % 2 === 1]),
    );
    const count = database.query('SELECT count(*)::int AS n FROM item', []);
    await Promise.all(inserts);
    // Sent after the inserts, answered after them.
    expect(await count).toMatchObject({ rows: [{ n: 3 }] });

    const { rows } = (await database.query('SELECT * FROM item WHERE id = $1', [3])) as { rows: Record<string, unknown>[] };
    expect(rows).toEqual([{ id: 3, at, data: Uint8Array.from([3, 255]), ok: true }]);
    const results = await database.exec('SELECT 1 AS one; SELECT 2 AS two');
    expect(results).toMatchObject([{ rows: [{ one: 1 }] }, { rows: [{ two: 2 }] }]);
  });

  it("fails a statement with PostgreSQL's error and its fields, and goes on answering", async () => {
    await database.exec('CREATE TABLE item (id int CONSTRAINT item_key PRIMARY KEY)');
    await database.query('INSERT INTO item VALUES ($1)', [1]);
    await expect(database.query('INSERT INTO item VALUES ($1)', [1])).rejects.toMatchObject({
      message: 'duplicate key value violates unique constraint "item_key"',
      code: '23505',
      constraint: 'item_key',
      table: 'item',
      detail: 'Key (id)=(1) already exists.',
    });
    expect(await database.query('SELECT count(*)::int AS n FROM item WHERE id > $1', [0])).toMatchObject({ rows: [{ n: 1 }] });
  });

  it('fails what was waiting and every later statement once its thread has ended', async () => {
    await database.open();
    const worker = (database as unknown as { worker: Worker }).worker;
    const waiting = database.query('SELECT pg_sleep($1)', [5]);
    await worker.terminate();
    await expect(waiting).rejects.toThrow("the embedded database's thread ended (exit code 1)");
    await expect(database.query('SELECT $1::int AS one', [1])).rejects.toThrow("the embedded database's thread ended");
  });

  it("sizes PostgreSQL's buffer cache by its option, over the cluster's own setting (128MB)", async () => {
    expect(await database.query('SHOW shared_buffers', [])).toMatchObject({ rows: [{ shared_buffers: '16MB' }] });
    const smaller = new EmbeddedDatabase({ dataDir: 'memory://', loadDataDir: readyMadeCluster('memory://'), sharedBuffersMb: 4 });
    try {
      expect(await smaller.query('SHOW shared_buffers', [])).toMatchObject({ rows: [{ shared_buffers: '4MB' }] });
    } finally {
      await smaller.close();
    }
  });

  it('dumps its data directory as a gzipped tarball', async () => {
    const tarball = new Uint8Array(await database.dumpDataDir());
    // gzip's magic number.
    expect([tarball[0], tarball[1]]).toEqual([0x1f, 0x8b]);
  });
});
