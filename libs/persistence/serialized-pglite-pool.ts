import { Mutex } from 'async-mutex';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';

type ConnectCallback = Parameters<PGlitePool['connect']>[0];

/**
 * PGlite is one Postgres session. typeorm-pglite hands that one session to every TypeORM
 * query runner at once, so two concurrent transactions would interleave their statements.
 * This pool leases the session to one query runner at a time, like `pg.Pool` with `max: 1`.
 */
export class SerializedPGlitePool extends PGlitePool {
  private readonly lease = new Mutex();

  override async connect(callback: ConnectCallback): Promise<void> {
    const release = await this.lease.acquire();
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
}
