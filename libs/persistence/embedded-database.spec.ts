import type { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { EmbeddedDatabase } from './embedded-database';
import type { EmbeddedDatabaseThreadOptions } from './embedded-database-thread';
import { eventually } from '../../test/support/test-env';
import { readyMadeCluster } from './ready-made-cluster';

/** The rows of a PGlite result (not libs/persistence's `rowsOf`, which reads TypeORM's). */
const resultRows = async <T>(answer: Promise<unknown>): Promise<T[]> => ((await answer) as { rows: T[] }).rows;

/** A `memory://` database of its own with these thread options, from the build's ready-made cluster when there is one (initdb takes seconds). */
const databaseWith = (options: Omit<EmbeddedDatabaseThreadOptions, 'dataDir' | 'loadDataDir'> = {}): EmbeddedDatabase =>
  new EmbeddedDatabase({ dataDir: 'memory://', loadDataDir: readyMadeCluster('memory://'), ...options });

describe(EmbeddedDatabase.name, () => {
  let database: EmbeddedDatabase;

  beforeAll(() => {
    // A thread that ends with statements waiting is logged; the tests read it from the rejections.
    if (!process.env.LOG_LEVEL) Logger.overrideLogger(false);
  });

  beforeEach(() => {
    database = databaseWith();
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
    const smaller = databaseWith({ sharedBuffersMb: 4 });
    try {
      expect(await smaller.query('SHOW shared_buffers', [])).toMatchObject({ rows: [{ shared_buffers: '4MB' }] });
    } finally {
      await smaller.close();
    }
  });

  it('keeps WAL for reuse up to its checkpoint bound, 64 MB by default, and 32 MB at least', async () => {
    expect(await resultRows(database.query(`SELECT current_setting('max_wal_size') AS max, current_setting('min_wal_size') AS min`, []))).toEqual([
      { max: '64MB', min: '32MB' },
    ]);
  });

  it('creates WAL segments without writing them full of zeros first', async () => {
    expect(await resultRows(database.query(`SELECT current_setting('wal_init_zero') AS zeroed`, []))).toEqual([{ zeroed: 'off' }]);
  });

  describe('with a checkpoint bound of 16 MB', () => {
    let bounded: EmbeddedDatabase;
    /** About 80 MB of WAL, five times the bound, in statements that checks can come between. */
    const fill = async () => {
      for (let i = 0; i < 20; i++) await bounded.exec(`INSERT INTO filler SELECT g, repeat('x', 500) FROM generate_series(1, 8000) AS g`);
    };
    const checkpointed = async () =>
      (await resultRows<{ redo: string; mb: number }>(
        bounded.query(
          `SELECT redo_lsn::text AS redo, pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 / 1048576 AS mb
           FROM pg_control_checkpoint()`,
          [],
        ),
      ))[0];

    beforeEach(async () => {
      bounded = databaseWith({ checkpointWalMb: 16 });
      await bounded.exec('CREATE TABLE filler (id int, pad text)');
    });

    afterEach(() => bounded.close());

    it('checkpoints once the WAL written since the last checkpoint passes it, and keeps few segments', async () => {
      // PGlite has no checkpointer: without the thread's checkpoints every segment written stays.
      await fill();
      await eventually(async () => expect((await checkpointed()).mb).toBeLessThan(16));
      // max_wal_size is 32 MB here: two recycled segments of 16 MB and the one in use.
      const [{ segments }] = await resultRows<{ segments: number }>(bounded.query('SELECT count(*)::int AS segments FROM pg_ls_waldir()', []));
      expect(segments).toBeLessThanOrEqual(3);
      expect(await resultRows(bounded.query('SELECT count(*)::int AS n FROM filler', []))).toEqual([{ n: 160_000 }]);
    }, 60_000);

    it('checks between transactions only: one open past the bound is left alone until it ends', async () => {
      const before = (await checkpointed()).redo;
      await bounded.exec('BEGIN');
      await fill();
      // Longer than two of the thread's checks, each of which finds the transaction open.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await checkpointed()).toEqual({ redo: before, mb: expect.any(Number) as number });
      await bounded.exec('COMMIT');
      await eventually(async () => expect((await checkpointed()).redo).not.toBe(before));
    }, 60_000);
  });

  describe('looking for tables to vacuum every 200 ms', () => {
    let vacuumed: EmbeddedDatabase;
    const churnStats = async () =>
      (await resultRows<{ dead: number; vacuumed: boolean; analyzed: boolean; estimate: number }>(
        vacuumed.query(
          `SELECT t.n_dead_tup::int AS dead, t.vacuum_count > 0 AS vacuumed, t.analyze_count > 0 AS analyzed, c.reltuples::int AS estimate
           FROM pg_stat_user_tables AS t JOIN pg_class AS c ON c.oid = t.relid WHERE t.relname = 'churn'`,
          [],
        ),
      ))[0];
    const churnVacuums = () =>
      resultRows<{ vacuums: number }>(vacuumed.query(`SELECT vacuum_count::int AS vacuums FROM pg_stat_user_tables WHERE relname = 'churn'`, []));

    beforeEach(async () => {
      vacuumed = databaseWith({ vacuumCheckMs: 200 });
      await vacuumed.exec('CREATE TABLE churn (id int PRIMARY KEY, pad text)');
    });

    afterEach(() => vacuumed.close());

    it("vacuums and analyzes a table past autovacuum's bounds, which PGlite alone leaves as it is", async () => {
      // PGlite says autovacuum is on, but it has no launcher: without the thread the dead rows stay and no statistics are made.
      await vacuumed.exec(`INSERT INTO churn SELECT g, repeat('x', 100) FROM generate_series(1, 20000) AS g`);
      await vacuumed.exec('DELETE FROM churn WHERE id % 2 = 0');
      // 10,000 dead rows against autovacuum's bound of 50 + 20 % of the table.
      await eventually(async () => expect(await churnStats()).toEqual({ dead: 0, vacuumed: true, analyzed: true, estimate: 10_000 }));
      expect(await resultRows(vacuumed.query('SELECT count(*)::int AS n FROM churn', []))).toEqual([{ n: 10_000 }]);
    }, 60_000);

    it('answers every statement in order around its vacuums, and leaves tables below the bounds alone', async () => {
      await vacuumed.exec(`INSERT INTO churn SELECT g, repeat('x', 100) FROM generate_series(1, 20000) AS g`);
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => resultRows<{ n: number }>(vacuumed.query('SELECT $1::int AS n', [i]))));
      expect(answers.map(([{ n }]) => n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      await eventually(async () => expect(await churnStats()).toMatchObject({ vacuumed: true, analyzed: true, estimate: 20_000 }));
      // 50 rows changed in a table of 20,000 are below every bound: nothing more is done to it.
      await vacuumed.exec('UPDATE churn SET pad = pad WHERE id <= 50');
      const [{ vacuums }] = await churnVacuums();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await churnVacuums()).toEqual([{ vacuums }]);
    }, 60_000);
  });

  it('dumps its data directory as a gzipped tarball', async () => {
    const tarball = new Uint8Array(await database.dumpDataDir());
    // gzip's magic number.
    expect([tarball[0], tarball[1]]).toEqual([0x1f, 0x8b]);
  });
});
