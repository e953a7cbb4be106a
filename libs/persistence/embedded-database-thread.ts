import { Blob } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { DEFAULT_EMBEDDED_SHARED_BUFFERS_MB } from './embedded-database-defaults';

/** What the thread is started with. */
export interface EmbeddedDatabaseThreadOptions {
  /** PGlite data directory, or `memory://`. */
  dataDir: string;
  /** The ready-made cluster's tarball, for a data directory that holds no cluster yet. */
  loadDataDir?: string;
  /** PostgreSQL's buffer cache (`shared_buffers`) in MB; DEFAULT_EMBEDDED_SHARED_BUFFERS_MB when unset. */
  sharedBuffersMb?: number;
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
  | { id: number; result: unknown }
  | { id: number; error: EmbeddedDatabaseFailure };

/** As typeorm-pglite sends booleans: TypeORM passes them as true/false, 1/0 or 'true'/'false'. */
const booleanParameter = (value: unknown): string => {
  if (value === true || value === 'true' || value === 1) return 'TRUE';
  if (value === false || value === 'false' || value === 0) return 'FALSE';
  return String(value);
};

function failure(error: unknown): EmbeddedDatabaseFailure {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (value !== undefined && typeof value !== 'function') fields[key] = value;
  return { message: error.message, stack: error.stack, fields: { name: error.name, ...fields } };
}

async function run(port: NonNullable<typeof parentPort>, options: EmbeddedDatabaseThreadOptions): Promise<void> {
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      dataDir: options.dataDir,
      // On the command line, so it holds for a data directory made with another setting too.
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffersMb ?? DEFAULT_EMBEDDED_SHARED_BUFFERS_MB}MB`],
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
    queue = queue.then(() => answer(request));
  });
  port.postMessage({ ready: true } satisfies EmbeddedDatabaseAnswer);

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
          await pglite.close();
          reply(request.id, null);
          return port.close();
      }
    } catch (error) {
      port.postMessage({ id: request.id, error: failure(error) } satisfies EmbeddedDatabaseAnswer);
    }
  }

  function reply(id: number, result: unknown): void {
    port.postMessage({ id, result } satisfies EmbeddedDatabaseAnswer);
  }
}

if (parentPort) void run(parentPort, workerData as EmbeddedDatabaseThreadOptions);
