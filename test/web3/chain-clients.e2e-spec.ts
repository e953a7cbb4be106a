import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { BaseError, HttpRequestError, parseEther, TimeoutError } from 'viem';
import { Counter, Gauge, Registry } from 'prom-client';
import { ChainClients, RpcUnavailableError, UnknownChainError, type ChainConfig } from '../../libs/chain';
import { CIRCUIT_BREAKER_STATE, CIRCUIT_BREAKER_TRANSITIONS, CircuitBreakerRegistry } from '../../libs/resilience';
import { EvmNode, startEvmNode } from '../support/evm-node';

const BASE = 8453;
const POLYGON = 137;
const FAILURES_TO_OPEN = 3;
// Long enough that a live node and a refused connection answer within it on a CI machine busy
// with other suites (400 ms was not), short enough that the hanging endpoint's three timeouts stay quick.
const TIMEOUT_MS = 2_000;

const listening = async <S extends HttpServer | TcpServer>(server: S): Promise<S & { url: string }> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
};

/** What a call failed with, viem's wrapping walked through to `type`. */
async function failure<T extends Error>(call: Promise<unknown>, type: new (...args: never[]) => T): Promise<{ error: T | null }> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error instanceof type) return { error };
  return { error: error instanceof BaseError ? (error.walk((cause) => cause instanceof type) as T | null) : null };
}

describe(ChainClients.name, () => {
  let node: EvmNode;
  /** Hangs up on every connection, counting them: an endpoint that is down. */
  let dead: TcpServer & { url: string };
  let connections = 0;
  /** Reads each request and never answers: an endpoint that hangs. */
  let hanging: HttpServer & { url: string };
  let requests = 0;
  let chains: ChainClients;
  let metrics: Registry;
  let breakers: CircuitBreakerRegistry;

  beforeAll(async () => {
    node = await startEvmNode();
    dead = await listening(
      createTcpServer((socket) => {
        connections += 1;
        socket.destroy();
      }),
    );
    hanging = await listening(createHttpServer(() => (requests += 1)));
    metrics = new Registry();
    breakers = new CircuitBreakerRegistry(
      new Gauge({ name: CIRCUIT_BREAKER_STATE, help: 'state', labelNames: ['breaker', 'provider'], registers: [metrics] }),
      new Counter({ name: CIRCUIT_BREAKER_TRANSITIONS, help: 'transitions', labelNames: ['breaker', 'provider', 'state'], registers: [metrics] }),
    );
    const chain = (id: number, name: string, rpcUrl: string): ChainConfig => ({ id, name, rpcUrl, confirmations: 1, tokens: {} });
    chains = new ChainClients(
      [chain(node.chainId, 'Local', node.rpcUrl), chain(BASE, 'Base', dead.url), chain(POLYGON, 'Polygon', hanging.url)],
      { rpcTimeoutMs: TIMEOUT_MS, breakerFailures: FAILURES_TO_OPEN, breakerResetMs: 60_000 },
      breakers,
    );
  });

  afterAll(async () => {
    chains?.onApplicationShutdown();
    hanging?.closeAllConnections();
    await Promise.all([node?.stop(), new Promise((resolve) => dead?.close(resolve)), new Promise((resolve) => hanging?.close(resolve))]);
  });

  const stateGauge = async (breaker: string): Promise<number | undefined> =>
    (await metrics.getSingleMetric(CIRCUIT_BREAKER_STATE)!.get()).values.find(({ labels }) => labels.breaker === breaker)?.value;

  it('reads and sends on a live chain through its breaker; answered JSON-RPC errors leave the circuit closed', async () => {
    const reader = chains.publicClient(node.chainId);
    expect(await reader.getChainId()).toBe(node.chainId);
    const wallet = chains.walletClient(node.chainId, node.accounts[1].privateKey);
    const hash = await wallet.sendTransaction({ to: node.accounts[2].address, value: parseEther('1') });
    expect((await reader.waitForTransactionReceipt({ hash })).status).toBe('success');

    // The node answers each with an error: the endpoint is up, so none of these is a failure.
    for (let i = 0; i < FAILURES_TO_OPEN * 2; i++) {
      await expect(reader.request({ method: 'eth_noSuchMethod' } as never)).rejects.toThrow();
    }
    expect(chains.circuit(node.chainId)).toBe('closed');
    expect(breakers.statuses('chain').find(({ breaker }) => breaker === `rpc:${node.chainId}`)).toMatchObject({ state: 'closed', provider: 'Local' });
  });

  it('opens the breaker of a dead endpoint after the configured failures in a row, then fails fast without sending', async () => {
    const reader = chains.publicClient(BASE);
    for (let attempt = 1; attempt <= FAILURES_TO_OPEN; attempt++) {
      const { error } = await failure(reader.getChainId(), HttpRequestError);
      expect(error).toBeInstanceOf(HttpRequestError);
      // One connection per call: viem retries nothing on its own.
      expect(connections).toBe(attempt);
    }
    expect(chains.circuit(BASE)).toBe('open');

    const { error } = await failure(reader.getChainId(), RpcUnavailableError);
    expect(error).toMatchObject({ chainId: BASE });
    expect(error!.retryInMs).toBeGreaterThan(50_000);
    // Refused at once: no connection was made.
    expect(connections).toBe(FAILURES_TO_OPEN);
    // A wallet client of that chain goes through the same breaker.
    const wallet = chains.walletClient(BASE, node.accounts[1].privateKey);
    expect((await failure(wallet.getChainId(), RpcUnavailableError)).error).toBeInstanceOf(RpcUnavailableError);
    expect(connections).toBe(FAILURES_TO_OPEN);

    // Operators see it as the payment providers' breakers: gauge 2 (open), and in the statuses.
    expect(await stateGauge(`rpc:${BASE}`)).toBe(2);
    expect(breakers.statuses('chain').find(({ breaker }) => breaker === `rpc:${BASE}`)).toMatchObject({ provider: 'Base', state: 'open' });
    // The live chain's breaker is its own.
    expect(await chains.publicClient(node.chainId).getChainId()).toBe(node.chainId);
    expect(await stateGauge(`rpc:${node.chainId}`)).toBe(0);
  });

  it('gives up on a request after rpcTimeoutMs, sent once, and counts it as a failure', async () => {
    const reader = chains.publicClient(POLYGON);
    const { error } = await failure(reader.getChainId(), TimeoutError);
    // Only the HTTP transport's own timeout makes a TimeoutError; it is the configured one, not viem's 10 s.
    expect(error).toBeInstanceOf(TimeoutError);
    expect(reader.transport.timeout).toBe(TIMEOUT_MS);
    expect(requests).toBe(1);

    for (let i = 1; i < FAILURES_TO_OPEN; i++) await failure(reader.getChainId(), TimeoutError);
    expect(chains.circuit(POLYGON)).toBe('open');
    expect(requests).toBe(FAILURES_TO_OPEN);
  });

  it('knows only the chains it was given', () => {
    expect(() => chains.publicClient(1)).toThrow(UnknownChainError);
    expect(() => chains.chain(1)).toThrow('chain 1 is not enabled (WEB3_CHAINS)');
  });
});
