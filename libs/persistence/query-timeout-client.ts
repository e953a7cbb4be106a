import { Client } from 'pg';
import { inQuerySpan } from '../observability/tracing';

/** What pg rejects a query with once it outlived `query_timeout`; the error has no code. */
const QUERY_TIMED_OUT = 'Query read timeout';

/**
 * A node-postgres client that ends itself when a query outlives `query_timeout`. pg rejects
 * that query at once, but the connection still waits for its answer and the client's next query
 * would wait behind it; and TypeORM gives the client back to the pool without the query's error,
 * so the pool would hand it out again. Ended (pg destroys the socket of a client with a query
 * under way), it is dropped by the pool when it comes back, and the next caller gets a new
 * connection. The end is set before the caller sees the error, so before it can give the client back.
 * Only queries in the promise form are watched: the one TypeORM uses. Those are also traced as
 * database client spans when tracing is on.
 */
export class QueryTimeoutEndsClient extends Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every overload of pg's query passes through unchanged
  override query(...args: any[]): any {
    if (typeof args.at(-1) === 'function') return super.query(...(args as Parameters<Client['query']>));
    const statement = () => String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text);
    return inQuerySpan(statement, () => {
      const result = super.query(...(args as Parameters<Client['query']>)) as unknown as Promise<unknown>;
      result.catch((error: unknown) => {
        if (error instanceof Error && error.message === QUERY_TIMED_OUT) void this.end();
      });
      return result;
    });
  }
}
