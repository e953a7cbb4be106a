import { Blob } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { DEFAULT_EMBEDDED_CHECKPOINT_WAL_MB, DEFAULT_EMBEDDED_SHARED_BUFFERS_MB } from './embedded-database-defaults';

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
  | { checkpointFailed: EmbeddedDatabaseFailure }
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
 * PostgreSQL's settings for a thread that checkpoints at `checkpointWalMb`: a checkpoint keeps
 * (recycles) old segments up to `max_wal_size` and at least `min_wal_size`, PostgreSQL's 1 GB and
 * 80 MB otherwise.
 */
function walSettings(checkpointWalMb: number): string[] {
  const maxWalMb = Math.max(checkpointWalMb, SMALLEST_WAL_SIZE_MB);
  return ['-c', `max_wal_size=${maxWalMb}MB`, '-c', `min_wal_size=${SMALLEST_WAL_SIZE_MB}MB`];
}

function failure(error: unknown): EmbeddedDatabaseFailure {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (value !== undefined && typeof value !== 'function') fields[key] = value;
  return { message: error.message, stack: error.stack, fields: { name: error.name, ...fields } };
}

async function run(port: NonNullable<typeof parentPort>, options: EmbeddedDatabaseThreadOptions): Promise<void> {
  const checkpointWalMb = options.checkpointWalMb ?? DEFAULT_EMBEDDED_CHECKPOINT_WAL_MB;
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
    queue = queue.then(() => answer(request)).then(checkpointWhenDue);
  });
  port.postMessage({ ready: true } satisfies EmbeddedDatabaseAnswer);
  // PGlite runs PostgreSQL as one backend, without the checkpointer process that would checkpoint
  // as the WAL grows: every segment written would stay until the database closes, in the data
  // directory or, for memory://, in this process. Once a second a check is due; it runs in the
  // queue like a request, after the first request that leaves no transaction open (the session
  // is leased to one transaction at a time), or at once when the session is idle.
  let checkpointCheckDue = false;
  const checkpoints = setInterval(() => {
    checkpointCheckDue = true;
    queue = queue.then(checkpointWhenDue);
  }, CHECKPOINT_CHECK_MS).unref();

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
          await pglite.close();
          reply(request.id, null);
          return port.close();
      }
    } catch (error) {
      port.postMessage({ id: request.id, error: failure(error) } satisfies EmbeddedDatabaseAnswer);
    }
  }

  async function checkpointWhenDue(): Promise<void> {
    if (!checkpointCheckDue || pglite.isInTransaction()) return;
    checkpointCheckDue = false;
    try {
      const { rows } = await pglite.query<{ written: number }>(
        `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS written FROM pg_control_checkpoint()`,
      );
      if (rows[0].written >= checkpointWalMb * 1024 * 1024) await pglite.exec('CHECKPOINT');
    } catch (error) {
      port.postMessage({ checkpointFailed: failure(error) } satisfies EmbeddedDatabaseAnswer);
    }
  }

  function reply(id: number, result: unknown): void {
    port.postMessage({ id, result } satisfies EmbeddedDatabaseAnswer);
  }
}

if (parentPort) void run(parentPort, workerData as EmbeddedDatabaseThreadOptions);
