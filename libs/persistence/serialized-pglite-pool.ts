import { EventEmitter } from 'node:events';
import { Mutex } from 'async-mutex';
import { inQuerySpan } from '../observability/tracing';
import { BackgroundWork } from './background-work';
import type { EmbeddedDatabase } from './embedded-database';

type Release = () => void;
type ConnectCallback = (error: Error | null, client: SerializedPGlitePool | null, release: Release) => void;
type QueryCallback = (error: Error | null, result: unknown) => void;

/** Lease priorities: a higher one is served first. */
const REQUEST = 1;
const BACKGROUND = 0;

/**
 * The `pg.Pool` TypeORM's PostgreSQL driver is given for the embedded database. PGlite is one
 * Postgres session, so this pool leases it to one query runner at a time, like `pg.Pool` with
 * `max: 1`: two concurrent transactions would otherwise interleave their statements. The lease
 * is the client itself, as typeorm-pglite's pool does.
 *
 * Waiting requests get the session before waiting background work (BackgroundWork): a backlog
 * of deliveries must not make every request queue behind it.
 */
export class SerializedPGlitePool extends EventEmitter {
  private readonly lease = new Mutex();

  constructor(readonly database: EmbeddedDatabase) {
    super();
  }

  /** The pool class TypeORM instantiates (`new Pool(options)`), bound to `database`. */
  static leasing(database: EmbeddedDatabase): new () => SerializedPGlitePool {
    return class extends SerializedPGlitePool {
      constructor() {
        super(database);
      }
    };
  }

  async connect(callback: ConnectCallback): Promise<void> {
    const release = await this.lease.acquire(BackgroundWork.active() ? BACKGROUND : REQUEST);
    let released = false;
    const releaseOnce = (): void => {
      if (!released) {
        released = true;
        release();
      }
    };
    try {
      await this.database.open();
    } catch (error) {
      releaseOnce();
      return callback(error as Error, null, releaseOnce);
    }
    callback(null, this, releaseOnce);
  }

  /**
   * As typeorm-pglite: a statement with parameters is PGlite's `query`; one without may be
   * several statements, run by `exec`, whose last result TypeORM expects. Each is a database
   * client span when tracing is on.
   */
  query(text: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<unknown> {
    const done = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : [];
    const answer = inQuerySpan(
      () => text,
      async () =>
        values.length > 0 ? this.database.query(text, values) : ((await this.database.exec(text)).at(-1) ?? { rows: [] }),
    );
    if (done) answer.then((result) => done(null, result), (error: Error) => done(error, null));
    return answer;
  }

  end(callback: (error: Error | null) => void): void {
    this.database.close().then(() => callback(null), callback);
  }
}
