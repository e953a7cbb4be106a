import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/** Where a proxy forwards to; `localAddress` is the address it connects from (default: the system's choice). */
export interface ProxyTarget {
  host: string;
  port: number;
  localAddress?: string;
}

type Mode = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'blackhole' } | { kind: 'reset' } | { kind: 'closeAfter'; bytes: number };

/**
 * Resets the socket, or only closes it when it is ending already: Node cannot reset a socket
 * whose end is under way (EINVAL) and leaves it open, and the process then never exits.
 */
function resetOrClose(socket: Socket): void {
  if (socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}

/** One direction of a connection: chunks leave in the order they came, each no earlier than it is due. */
class Pipe {
  private readonly queue: { chunk: Buffer; due: number }[] = [];
  private timer?: NodeJS.Timeout;
  private ending = false;

  constructor(private readonly to: Socket) {}

  push(chunk: Buffer, delayMs: number): void {
    this.queue.push({ chunk, due: Date.now() + delayMs });
    this.flush();
  }

  /** Ends the far side once what is queued has left: a delayed close comes after the delayed data. */
  end(): void {
    this.ending = true;
    this.flush();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }

  private flush(): void {
    clearTimeout(this.timer);
    while (this.queue.length > 0 && this.queue[0].due <= Date.now()) {
      const { chunk } = this.queue.shift()!;
      if (!this.to.destroyed) this.to.write(chunk);
    }
    if (this.queue.length > 0) this.timer = setTimeout(() => this.flush(), this.queue[0].due - Date.now());
    else if (this.ending) this.to.end();
  }
}

class Connection {
  private readonly upstream: Socket;
  private readonly toUpstream: Pipe;
  private readonly toClient: Pipe;
  private forwarded = 0;
  /** Bytes were swallowed: the protocol on this connection cannot go on. */
  lostBytes = false;

  constructor(
    private readonly client: Socket,
    target: ProxyTarget,
    private readonly mode: () => Mode,
    closed: (connection: Connection) => void,
  ) {
    this.upstream = connect(target);
    this.toUpstream = new Pipe(this.upstream);
    this.toClient = new Pipe(client);
    client.on('data', (chunk: Buffer) => this.carry(chunk, this.toUpstream));
    this.upstream.on('data', (chunk: Buffer) => this.carry(chunk, this.toClient));
    for (const [socket, toOther] of [
      [client, this.toUpstream],
      [this.upstream, this.toClient],
    ] as const) {
      // A peer's reset or refusal resets the other side too, as it would end a direct connection.
      socket.on('error', () => this.reset());
      socket.on('close', () => {
        toOther.end();
        if (client.destroyed && this.upstream.destroyed) closed(this);
      });
    }
  }

  reset(): void {
    this.stopPipes();
    resetOrClose(this.client);
    resetOrClose(this.upstream);
  }

  destroy(): void {
    this.stopPipes();
    this.client.destroy();
    this.upstream.destroy();
  }

  /** Closes both sides once what was forwarded has been written. */
  private cut(): void {
    this.client.end();
    this.upstream.end();
  }

  private carry(chunk: Buffer, pipe: Pipe): void {
    const mode = this.mode();
    if (mode.kind === 'reset') {
      this.reset();
      return;
    }
    if (mode.kind === 'blackhole') {
      this.lostBytes = true;
      return;
    }
    if (mode.kind === 'closeAfter') {
      const room = mode.bytes - this.forwarded;
      if (room > 0) pipe.push(chunk.subarray(0, room), 0);
      this.forwarded += Math.min(room, chunk.length);
      if (this.forwarded >= mode.bytes) this.cut();
      return;
    }
    this.forwarded += chunk.length;
    pipe.push(chunk, mode.kind === 'delay' ? mode.ms : 0);
  }

  private stopPipes(): void {
    this.toUpstream.stop();
    this.toClient.stop();
  }
}

/**
 * A TCP proxy between the service and one of its dependencies, whose faults a test turns on and off
 * while the service runs: latency, silence, resets and cut connections.
 */
export class FaultProxy {
  private mode: Mode = { kind: 'pass' };
  private readonly connections = new Set<Connection>();

  private constructor(private readonly server: Server) {}

  /** Listens on a free port of 127.0.0.1 and forwards to `host:port`. */
  static async start(target: ProxyTarget): Promise<FaultProxy> {
    const server = createServer();
    const proxy = new FaultProxy(server);
    server.on('connection', (client: Socket) => proxy.accept(client, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return proxy;
  }

  /** A proxy for the host and port of `url` (postgres://…, redis://…). */
  static forUrl(url: string, defaultPort: number): Promise<FaultProxy> {
    const { hostname, port } = new URL(url);
    return FaultProxy.start({ host: hostname, port: Number(port || defaultPort) });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `url` with its host and port replaced by this proxy's. */
  in(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.toString();
  }

  /**
   * Forwards everything again. Connections that lost bytes to a blackhole are reset: their streams
   * have a hole no protocol recovers from, and TCP too gives up a connection its peer stopped answering.
   */
  pass(): void {
    this.mode = { kind: 'pass' };
    for (const connection of this.connections) if (connection.lostBytes) connection.reset();
  }

  /** Holds each chunk `ms` before forwarding it, in both directions. */
  delay(ms: number): void {
    this.mode = { kind: 'delay', ms };
  }

  /** Accepts connections and reads what comes, but forwards nothing and answers nothing. */
  blackhole(): void {
    this.mode = { kind: 'blackhole' };
  }

  /** Resets every open connection, and each new one as soon as it is accepted. */
  reset(): void {
    this.mode = { kind: 'reset' };
    for (const connection of this.connections) connection.reset();
  }

  /** Closes each connection once it has forwarded `bytes` bytes, counting both directions. */
  closeAfter(bytes: number): void {
    this.mode = { kind: 'closeAfter', bytes };
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.destroy();
    await closed;
  }

  private accept(client: Socket, target: ProxyTarget): void {
    if (this.mode.kind === 'reset') {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const connection = new Connection(client, target, () => this.mode, (ended) => this.connections.delete(ended));
    this.connections.add(connection);
  }
}
