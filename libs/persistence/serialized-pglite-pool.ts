import { Mutex } from 'async-mutex';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';
import { inQuerySpan } from '../observability/tracing';
import { BackgroundWork } from './background-work';

type ConnectCallback = Parameters<PGlitePool['connect']>[0];
type QueryArguments = Parameters<PGlitePool['query']>;

/** Lease priorities: a higher one is served first. */
const REQUEST = 1;
const BACKGROUND = 0;

/**
 * PGlite is one Postgres session. typeorm-pglite hands that one session to every TypeORM
 * query runner at once, so two concurrent transactions would interleave their statements.
 * This pool leases the session to one query runner at a time, like `pg.Pool` with `max: 1`.
 *
 * PGlite runs each query synchronously and resolves it as a microtask, so a busy caller (the
 * outbox relay delivering a backlog) could chain query after query without ever letting the
 * event loop turn: timers, HTTP and progress reports would stall until the backlog is gone.
 * Each lease therefore starts on a fresh turn of the event loop.
 *
 * Waiting requests get the session before waiting background work (BackgroundWork): a backlog
 * of deliveries must not make every request queue behind it.
 */
export class SerializedPGlitePool extends PGlitePool {
  private readonly lease = new Mutex();

  override async connect(callback: ConnectCallback): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const release = await this.lease.acquire(BackgroundWork.active() ? BACKGROUND : REQUEST);
    let released = false;
    await super.connect((error, client) => {
      const releaseOnce = (): void => {
        if (!released) {
          released = true;
          release();
        }
      };
      if (error) releaseOnce();
      callback(error, client, releaseOnce);
    });
  }

  /** Each statement is a database client span when tracing is on. */
  override query(...args: QueryArguments): ReturnType<PGlitePool['query']> {
    return inQuerySpan(() => args[0], () => super.query(...args));
  }
}
