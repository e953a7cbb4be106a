import { Blob } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  DEFAULT_EMBEDDED_CHECKPOINT_WAL_MB,
  DEFAULT_EMBEDDED_SHARED_BUFFERS_MB,
  DEFAULT_EMBEDDED_VACUUM_CHECK_MS,
} from './embedded-database-defaults';

/** What the thread is started with. */
export interface EmbeddedDatabaseThreadOptions {
  /** PGlite data directory, or `memory://`. */
  dataDir: string;
  /** The ready-made cluster's tarball, for a data directory that holds no cluster yet. */
  loadDataDir?: string;
  /** PostgreSQL's buffer cache (`shared_buffers`) in MB; DEFAULT_EMBEDDED_SHARED_BUFFERS_MB when unset. */
  sharedBuffersMb?: number;
  /** WAL written since the last checkpoint that makes the thread checkpoint, in MB; DEFAULT_EMBEDDED_CHECKPOINT_WAL_MB when unset. */
  checkpointWalMb?: number;
  /** How often the thread looks for tables that autovacuum would vacuum or analyze; DEFAULT_EMBEDDED_VACUUM_CHECK_MS when unset. */
  vacuumCheckMs?: number;
}

export type EmbeddedDatabaseRequest =
  | { id: number; kind: 'query'; text: string; params: unknown[] }
  | { id: number; kind: 'exec'; text: string }
  | { id: number; kind: 'dump' }
  | { id: number; kind: 'close' };

/** An error as it crosses the thread: its message and every field PostgreSQL set (code, constraint, detail…). */
export interface EmbeddedDatabaseFailure {
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

export type EmbeddedDatabaseAnswer =
  | { ready: true }
  | { failed: EmbeddedDatabaseFailure }
  | { maintenanceFailed: { work: string; failure: EmbeddedDatabaseFailure } }
  | { id: number; result: unknown }
  | { id: number; error: EmbeddedDatabaseFailure };

/** As typeorm-pglite sends booleans: TypeORM passes them as true/false, 1/0 or 'true'/'false'. */
const booleanParameter = (value: unknown): string => {
  if (value === true || value === 'true' || value === 1) return 'TRUE';
  if (value === false || value === 'false' || value === 0) return 'FALSE';
  return String(value);
};

/** How often the thread compares the WAL written since the last checkpoint with its bound. */
const CHECKPOINT_CHECK_MS = 1_000;
/** The smallest `min_wal_size` and `max_wal_size` PostgreSQL takes: two segments of 16 MB. */
const SMALLEST_WAL_SIZE_MB = 32;

/**
 * The tables autovacuum would take on now, by its own thresholds and scale factors (PostgreSQL's
 * settings, so a table's storage parameters are not read), each as the statement that does it:
 * VACUUM (ANALYZE) past the dead-row or inserted-row bound, ANALYZE past the changed-row bound.
 */
const TABLES_DUE_FOR_VACUUM = `
  WITH setting AS (
    SELECT current_setting('autovacuum_vacuum_threshold')::float8 AS vacuum_base,
           current_setting('autovacuum_vacuum_scale_factor')::float8 AS vacuum_scale,
           current_setting('autovacuum_vacuum_insert_threshold')::float8 AS insert_base,
           current_setting('autovacuum_vacuum_insert_scale_factor')::float8 AS insert_scale,
           current_setting('autovacuum_analyze_threshold')::float8 AS analyze_base,
           current_setting('autovacuum_analyze_scale_factor')::float8 AS analyze_scale
  ), due AS (
    SELECT format('%I.%I', t.schemaname, t.relname) AS name,
           t.n_dead_tup > s.vacuum_base + s.vacuum_scale * greatest(c.reltuples, 0)
             OR t.n_ins_since_vacuum > s.insert_base + s.insert_scale * greatest(c.reltuples, 0) AS needs_vacuum,
           t.n_mod_since_analyze > s.analyze_base + s.analyze_scale * greatest(c.reltuples, 0) AS needs_analyze
    FROM pg_stat_user_tables AS t JOIN pg_class AS c ON c.oid = t.relid CROSS JOIN setting AS s
  )
  SELECT CASE WHEN needs_vacuum THEN 'VACUUM (ANALYZE) ' ELSE 'ANALYZE ' END || name AS statement
  FROM due WHERE needs_vacuum OR needs_analyze ORDER BY name`;

/**
 * PostgreSQL's settings for a thread that checkpoints at `checkpointWalMb`: a checkpoint keeps
 * (recycles) old segments up to `max_wal_size` and at least `min_wal_size`, PostgreSQL's 1 GB and
 * 80 MB otherwise. A new segment is not written full of zeros first (`wal_init_zero`): in PGlite
 * the statement whose WAL needs one wrote its 16 MB, and every request waited 400 to 500 ms behind
 * it (docs/decisions/0084).
 */
function walSettings(checkpointWalMb: number): string[] {
  const maxWalMb = Math.max(checkpointWalMb, SMALLEST_WAL_SIZE_MB);
  return ['-c', `max_wal_size=${maxWalMb}MB`, '-c', `min_wal_size=${SMALLEST_WAL_SIZE_MB}MB`, '-c', 'wal_init_zero=off'];
}

function failure(error: unknown): EmbeddedDatabaseFailure {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (value !== undefined && typeof value !== 'function') fields[key] = value;
  return { message: error.message, stack: error.stack, fields: { name: error.name, ...fields } };
}

async function run(port: NonNullable<typeof parentPort>, options: EmbeddedDatabaseThreadOptions): Promise<void> {
  const checkpointWalMb = options.checkpointWalMb ?? DEFAULT_EMBEDDED_CHECKPOINT_WAL_MB;
  const vacuumCheckMs = options.vacuumCheckMs ?? DEFAULT_EMBEDDED_VACUUM_CHECK_MS;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      dataDir: options.dataDir,
      // On the command line, so it holds for a data directory made with another setting too.
      startParams: [
        ...PGlite.defaultStartParams,
        '-c',
        `shared_buffers=${options.sharedBuffersMb ?? DEFAULT_EMBEDDED_SHARED_BUFFERS_MB}MB`,
        ...walSettings(checkpointWalMb),
      ],
      // pg_trgm gives embedded search the same typo tolerance as a Postgres server with contrib.
      extensions: { pg_trgm },
      serializers: { [types.BOOL]: booleanParameter },
      ...(options.loadDataDir ? { loadDataDir: new Blob([readFileSync(options.loadDataDir)]) } : {}),
    });
  } catch (error) {
    port.postMessage({ failed: failure(error) } satisfies EmbeddedDatabaseAnswer);
    return;
  }
  // One request at a time, in the order they came: the caller leases the session to one
  // transaction at a time, and PGlite is one session.
  let queue = Promise.resolve();
  port.on('message', (request: EmbeddedDatabaseRequest) => {
    queue = queue.then(() => answer(request)).then(maintainWhenDue);
  });
  port.postMessage({ ready: true } satisfies EmbeddedDatabaseAnswer);
  // PGlite runs PostgreSQL as one backend, without the checkpointer process that would checkpoint
  // as the WAL grows: every segment written would stay until the database closes, in the data
  // directory or, for memory://, in this process. Nor does it run autovacuum: dead rows would stay,
  // index-only scans would read the heap and the planner would have no statistics. So the thread
  // does both. Once a second a checkpoint check is due, once a minute a look for tables autovacuum
  // would take on; each runs in the queue like a request, after the first request that leaves no
  // transaction open (the session is leased to one transaction at a time), or at once when the
  // session is idle. Tables due are vacuumed one at a time, each behind the requests queued by then.
  let checkpointCheckDue = false;
  let vacuumCheckDue = false;
  const vacuumsDue: string[] = [];
  const every = (ms: number, markDue: () => void): NodeJS.Timeout =>
    setInterval(() => {
      markDue();
      queue = queue.then(maintainWhenDue);
    }, ms).unref();
  const checkpoints = every(CHECKPOINT_CHECK_MS, () => (checkpointCheckDue = true));
  const vacuumChecks = every(vacuumCheckMs, () => (vacuumCheckDue = true));

  async function answer(request: EmbeddedDatabaseRequest): Promise<void> {
    try {
      switch (request.kind) {
        case 'query':
          return reply(request.id, await pglite.query(request.text, request.params));
        case 'exec':
          return reply(request.id, await pglite.exec(request.text));
        case 'dump': {
          const tarball = await (await pglite.dumpDataDir('gzip')).arrayBuffer();
          return port.postMessage({ id: request.id, result: tarball } satisfies EmbeddedDatabaseAnswer, [tarball]);
        }
        case 'close':
          clearInterval(checkpoints);
          clearInterval(vacuumChecks);
          await pglite.close();
          reply(request.id, null);
          return port.close();
      }
    } catch (error) {
      port.postMessage({ id: request.id, error: failure(error) } satisfies EmbeddedDatabaseAnswer);
    }
  }

  async function maintainWhenDue(): Promise<void> {
    // After every request: a boolean test while nothing is due, before asking PGlite anything.
    if (!checkpointCheckDue && !vacuumCheckDue && vacuumsDue.length === 0) return;
    if (pglite.closed || pglite.isInTransaction()) return;
    if (checkpointCheckDue) {
      checkpointCheckDue = false;
      await maintain('checkpointing', async () => {
        const { rows } = await pglite.query<{ written: number }>(
          `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS written FROM pg_control_checkpoint()`,
        );
        if (rows[0].written >= checkpointWalMb * 1024 * 1024) await pglite.exec('CHECKPOINT');
      });
    }
    if (vacuumCheckDue && vacuumsDue.length === 0) {
      vacuumCheckDue = false;
      await maintain('looking for tables to vacuum in', async () => {
        const { rows } = await pglite.query<{ statement: string }>(TABLES_DUE_FOR_VACUUM);
        vacuumsDue.push(...rows.map((row) => row.statement));
      });
    }
    const vacuum = vacuumsDue.shift();
    if (vacuum === undefined) return;
    await maintain(`${vacuum} of`, () => pglite.exec(vacuum));
    if (vacuumsDue.length > 0) queue = queue.then(maintainWhenDue);
  }

  /** Runs one piece of maintenance; a failure is the main thread's to log, and requests go on. */
  async function maintain(work: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      port.postMessage({ maintenanceFailed: { work, failure: failure(error) } } satisfies EmbeddedDatabaseAnswer);
    }
  }

  function reply(id: number, result: unknown): void {
    port.postMessage({ id, result } satisfies EmbeddedDatabaseAnswer);
  }
}

if (parentPort) void run(parentPort, workerData as EmbeddedDatabaseThreadOptions);
