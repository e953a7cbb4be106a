import { Client, ClientConfig, QueryConfig, QueryResultRow } from 'pg';

/** A pg client class: pg's own, or one made from it. */
export type SessionClient = new (config: ClientConfig) => Client;

interface Session {
  client: Client;
  connected: Promise<void>;
  inFlight: number;
  ended: boolean;
}

/** The socket under a pg client: pg's own queries cork it while they write their messages. */
function socketOf(client: Client): { cork(): void; uncork(): void } {
  return (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
}

/**
 * A few sessions on which statements outside transactions are pipelined (pg's pipeline mode): each
 * goes to the session with the fewest statements under way, without waiting for the answers of
 * those before it, and the statements of one turn of the event loop leave in one write per session.
 * A pool hands each statement a session of its own: every statement then wakes a sleeping
 * backend, and on a virtual machine that wake-up costs more than a short query (a third of the
 * service's thread under a search load went to writing the queries). Here the backends stay busy
 * while statements wait, and read the next ones without being woken. A statement waits behind those
 * sent before it on its session, so this suits short statements of similar cost. A session whose
 * connection fails or times out (pg destroys a pipelined connection when a statement outlives
 * `query_timeout`) fails the statements under way on it and is opened again for the next.
 */
export class PipelinedSessions {
  private readonly sessions: (Session | undefined)[];
  /** Sessions written to in this turn of the event loop; their sockets are uncorked at its end. */
  private readonly corked = new Set<Session>();

  /** `config.Client`, when given (as in a pool's options), is the client class each session is made of. */
  constructor(
    private readonly config: ClientConfig & { Client?: SessionClient },
    size: number,
    private readonly onError: (error: Error) => void,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pipelined sessions need a whole number of sessions, at least one; got ${size}`);
    this.sessions = Array.from({ length: size }, () => undefined);
  }

  async query<T extends QueryResultRow>(statement: QueryConfig): Promise<T[]> {
    const session = this.leastBusy();
    session.inFlight++;
    try {
      await session.connected;
      this.cork(session);
      return (await session.client.query<T>(statement)).rows;
    } finally {
      session.inFlight--;
    }
  }

  async end(): Promise<void> {
    const open = this.sessions.filter((session): session is Session => session !== undefined && !session.ended);
    this.sessions.fill(undefined);
    await Promise.all(open.map((session) => session.client.end().catch(() => undefined)));
  }

  /** The open session with the fewest statements under way; a slot without one gets one first. */
  private leastBusy(): Session {
    let best: Session | undefined;
    for (let i = 0; i < this.sessions.length; i++) {
      const session = this.sessions[i];
      if (session === undefined || session.ended) return (this.sessions[i] = this.open());
      if (best === undefined || session.inFlight < best.inFlight) best = session;
    }
    return best as Session;
  }

  private open(): Session {
    const { Client: ClientClass = Client, ...config } = this.config;
    const client = new ClientClass({ ...config, pipeline: true });
    const session: Session = { client, connected: Promise.resolve(), inFlight: 0, ended: false };
    const end = (error?: Error) => {
      if (session.ended) return;
      session.ended = true;
      if (error) this.onError(error);
      client.end().catch(() => undefined);
    };
    client.on('error', end);
    client.on('end', () => end());
    session.connected = client.connect().then(
      () => undefined,
      (error: unknown) => {
        end();
        throw error;
      },
    );
    return session;
  }

  private cork(session: Session): void {
    if (this.corked.has(session)) return;
    socketOf(session.client).cork();
    this.corked.add(session);
    if (this.corked.size > 1) return;
    // After the I/O callbacks of this turn, so statements of requests read together leave together.
    setImmediate(() => {
      for (const corked of this.corked) socketOf(corked.client).uncork();
      this.corked.clear();
    });
  }
}
