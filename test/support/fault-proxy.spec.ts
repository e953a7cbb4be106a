import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { FaultProxy } from './fault-proxy';

/** A client connection with everything it received and how it ended. */
class Peer {
  readonly socket: Socket;
  received = '';
  error?: NodeJS.ErrnoException;
  readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => (this.received += chunk.toString()));
    this.socket.on('error', (error: NodeJS.ErrnoException) => (this.error = error));
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  /** Sends `text` and resolves with what has come back once `expected` characters have. */
  async exchange(text: string, expected = text.length): Promise<string> {
    this.socket.write(text);
    await until(() => this.received.length >= expected);
    return this.received;
  }
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe(FaultProxy.name, () => {
  let echo: Server;
  /** Everything the echo server was sent, across connections. */
  let arrived: string;
  let proxy: FaultProxy;
  const peers: Peer[] = [];

  function peer(): Peer {
    const opened = new Peer(proxy.port);
    peers.push(opened);
    return opened;
  }

  beforeAll(async () => {
    echo = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        arrived += chunk.toString();
        socket.write(chunk);
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  });

  beforeEach(async () => {
    arrived = '';
    proxy = await FaultProxy.start({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
  });

  afterEach(async () => {
    await proxy.close();
    for (const opened of peers.splice(0)) opened.socket.destroy();
  });

  afterAll(async () => {
    await new Promise((resolve) => echo.close(resolve));
  });

  it('forwards both ways when passing', async () => {
    expect(await peer().exchange('hello')).toBe('hello');
    expect(arrived).toBe('hello');
  });

  it('holds each chunk back when delaying, then forwards it in order', async () => {
    const client = peer();
    await client.exchange('a');
    proxy.delay(300);

    client.socket.write('b');
    client.socket.write('c');
    await sleep(100);
    expect(client.received).toBe('a');

    await until(() => client.received === 'abc');
  });

  it('answers nothing when blackholed, and resets the connections that lost bytes when passing again', async () => {
    const client = peer();
    await client.exchange('a');
    proxy.blackhole();

    client.socket.write('lost');
    const late = peer();
    late.socket.write('also lost');
    await sleep(200);
    expect(client.received).toBe('a');
    expect(late.received).toBe('');
    expect(arrived).toBe('a');

    proxy.pass();
    await client.closed;
    await late.closed;
    expect(client.error?.code).toBe('ECONNRESET');
    expect(await peer().exchange('again')).toBe('again');
  });

  it('resets open connections and each new one, until passing again', async () => {
    const open = peer();
    await open.exchange('a');

    proxy.reset();
    await open.closed;
    expect(open.error?.code).toBe('ECONNRESET');
    const refused = peer();
    await refused.closed;
    expect(refused.error?.code).toBe('ECONNRESET');

    proxy.pass();
    expect(await peer().exchange('back')).toBe('back');
  });

  it('closes a connection once it has forwarded the given bytes', async () => {
    proxy.closeAfter(10);
    const client = peer();

    client.socket.write('abcde');
    await client.closed;
    expect(client.received).toBe('abcde');

    const cut = peer();
    cut.socket.write('abcdefghijklmnop');
    await cut.closed;
    await until(() => arrived === 'abcdeabcdefghij');
    expect(cut.received).toBe('');
  });

  it('closes its connections and stops listening when closed', async () => {
    const client = peer();
    await client.exchange('a');
    const { port } = proxy;

    await proxy.close();
    await client.closed;
    const late = new Peer(port);
    await late.closed;
    expect(late.error?.code).toBe('ECONNREFUSED');
  });
});
