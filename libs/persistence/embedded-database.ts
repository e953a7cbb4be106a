import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { compiledSibling } from '../startup';
import type {
  EmbeddedDatabaseAnswer,
  EmbeddedDatabaseFailure,
  EmbeddedDatabaseRequest,
  EmbeddedDatabaseThreadOptions,
} from './embedded-database-thread';

/** The thread's entry, compiled. */
const THREAD_ENTRY = compiledSibling(__filename, './embedded-database-thread');
/**
 * The heap bounds of the service's own flags (docs/decisions/0044): the thread holds each result's
 * rows as JavaScript objects until they are sent, and a thread out of heap would end the database
 * for the whole process. A young generation is two semi-spaces and a third as large for new large
 * objects, so the flags' 4 MB semi-spaces are 12 MB here (docs/decisions/0083). PGlite's
 * WebAssembly memory is outside these bounds.
 */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 12 };

/** PostgreSQL's error as the caller of a query sees it: the message and every field (code, constraint, detail…). */
function asError({ message, stack, fields }: EmbeddedDatabaseFailure): Error {
  const error = Object.assign(new Error(message), fields);
  if (stack) error.stack = stack;
  return error;
}

/** A request before it is numbered. */
type Unnumbered<R> = R extends unknown ? Omit<R, 'id'> : never;

/**
 * The embedded PostgreSQL (PGlite) on a worker thread of its own. PGlite runs every statement
 * synchronously on the thread that calls it: on the event loop that serves HTTP, a burst of
 * deliveries held requests behind its queries and left the second core idle
 * (docs/decisions/0057). Statements go to the thread as messages and are answered in the order
 * they were sent; the caller (SerializedPGlitePool) leases the one session to one transaction at
 * a time. A thread that ends fails what was waiting and every later statement.
 */
export class EmbeddedDatabase {
  private readonly logger = new Logger('Database');
  private worker?: Worker;
  private started?: Promise<void>;
  private ended?: Error;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  constructor(private readonly options: EmbeddedDatabaseThreadOptions) {}

  /** Starts the thread and opens the database, once; later calls wait for the same start. */
  open(): Promise<void> {
    this.started ??= this.start();
    return this.started;
  }

  /** One statement with parameters: PGlite's `query`. */
  query(text: string, params: unknown[]): Promise<unknown> {
    return this.send({ kind: 'query', text, params });
  }

  /** Statements without parameters, possibly several: PGlite's `exec`, one result per statement. */
  exec(text: string): Promise<unknown[]> {
    return this.send({ kind: 'exec', text }) as Promise<unknown[]>;
  }

  /** The data directory as a gzipped tarball (PGlite's `dumpDataDir`). */
  async dumpDataDir(): Promise<ArrayBuffer> {
    return (await this.send({ kind: 'dump' })) as ArrayBuffer;
  }

  /** Closes the database and ends the thread; the thread is stopped if it does not end. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.ended) return;
    const exited = once(worker, 'exit');
    await this.send({ kind: 'close' }).catch((error: Error) => this.logger.warn(`closing the embedded database: ${error.message}`));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await worker.terminate();
  }

  private async send(body: Unnumbered<EmbeddedDatabaseRequest>): Promise<unknown> {
    await this.open();
    if (this.ended) throw this.ended;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker!.postMessage({ id, ...body });
    });
  }

  private start(): Promise<void> {
    const worker = new Worker(THREAD_ENTRY, { workerData: this.options, resourceLimits: THREAD_LIMITS });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.on('message', (answer: EmbeddedDatabaseAnswer) => {
        if ('ready' in answer) return resolve();
        if ('failed' in answer) return reject(asError(answer.failed));
        if ('maintenanceFailed' in answer) {
          const { work, failure } = answer.maintenanceFailed;
          return this.logger.warn(`${work} the embedded database: ${failure.message}`);
        }
        const waiting = this.waiting.get(answer.id);
        this.waiting.delete(answer.id);
        if ('error' in answer) waiting?.reject(asError(answer.error));
        else waiting?.resolve(answer.result);
      });
      worker.on('error', (error) => this.end(new Error(`the embedded database's thread failed: ${error.message}`, { cause: error }), reject));
      worker.on('exit', (code) => this.end(new Error(`the embedded database's thread ended (exit code ${code})`), reject));
    });
  }

  /** Fails the start if it had not finished, what was waiting, and every later statement. */
  private end(error: Error, failStart: (error: Error) => void): void {
    if (this.ended) return;
    this.ended = error;
    failStart(error);
    for (const waiting of this.waiting.values()) waiting.reject(error);
    if (this.waiting.size > 0) this.logger.error(error.message);
    this.waiting.clear();
  }
}
