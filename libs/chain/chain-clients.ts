import type CircuitBreaker from 'opossum';
import {
  createPublicClient,
  createTransport,
  createWalletClient,
  defineChain,
  http,
  RpcRequestError,
  type Account,
  type Chain,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { CircuitBreakerRegistry, createBreaker, isOpenCircuit } from '../resilience';
import type { ChainConfig } from './chains';

export interface ChainClientsOptions {
  /** How long one RPC request may take; past it the request is aborted and counts as a failure. */
  rpcTimeoutMs: number;
  /** Failed requests in a row that open an endpoint's circuit. */
  breakerFailures: number;
  /** How long an open circuit refuses requests before it lets one probe through. */
  breakerResetMs: number;
}

export const DEFAULT_CHAIN_CLIENTS_OPTIONS: Readonly<ChainClientsOptions> = { rpcTimeoutMs: 10_000, breakerFailures: 5, breakerResetMs: 30_000 };

/**
 * A request the breaker refused without sending: the chain's endpoint kept failing. viem hands it
 * on as the cause of an UnknownRpcError, where `error.walk` finds it. Not a viem BaseError itself:
 * extending one here would load viem with this file (docs/decisions/0063).
 */
export class RpcUnavailableError extends Error {
  override readonly name = 'RpcUnavailableError';

  constructor(
    readonly chainId: number,
    /** When the circuit lets a probe through. */
    readonly retryInMs: number,
  ) {
    super(`The RPC endpoint of chain ${chainId} keeps failing: its circuit is open, so the request was not sent. A probe goes through in ${retryInMs} ms.`);
  }
}

/** A chain that WEB3_CHAINS does not enable. */
export class UnknownChainError extends Error {
  override readonly name = 'UnknownChainError';

  constructor(readonly chainId: number) {
    super(`chain ${chainId} is not enabled (WEB3_CHAINS)`);
  }
}

type RpcCall = () => Promise<unknown>;

const ETHER = { name: 'Ether', symbol: 'ETH', decimals: 18 };
/** Gas is paid in ether on every known chain but Polygon PoS. */
const NATIVE_CURRENCIES: Readonly<Record<number, Chain['nativeCurrency']>> = { 137: { name: 'POL', symbol: 'POL', decimals: 18 } };

/**
 * The chain as viem wants it. Not viem/chains' definitions: that module's types reach into ox's
 * TypeScript sources, which do not compile without the DOM library.
 */
function viemChain({ id, name, rpcUrl }: ChainConfig): Chain {
  return defineChain({ id, name, nativeCurrency: NATIVE_CURRENCIES[id] ?? ETHER, rpcUrls: { default: { http: [rpcUrl] } } });
}

/** One chain's endpoint: its breaker, and a transport whose every request goes through it. */
class Endpoint {
  readonly breaker: CircuitBreaker<[RpcCall], unknown>;
  readonly transport: Transport;
  /** When the circuit last opened: it half-opens `resetMs` later. */
  private openedAt = 0;

  constructor(
    readonly chain: Chain,
    private readonly options: ChainClientsOptions,
  ) {
    this.breaker = createBreaker((call: RpcCall) => call(), {
      name: `rpc:${chain.id}`,
      // viem's transport times the request out itself, and aborts it.
      timeoutMs: false,
      consecutiveFailuresToOpen: options.breakerFailures,
      resetTimeoutMs: options.breakerResetMs,
      // A JSON-RPC error (a reverted call, a nonce too low) is the endpoint answering, not failing.
      isFailure: (error) => !(error instanceof RpcRequestError),
    });
    this.breaker.on('open', () => (this.openedAt = Date.now()));
    this.transport = this.guardedTransport();
  }

  /**
   * viem's HTTP transport with no retries of its own, each request fired through the breaker. The
   * transport viem builds around it (error mapping) retries nothing either: a retry is the
   * caller's decision, and the breaker counts every attempt.
   */
  private guardedTransport(): Transport {
    const rpc = http(this.chain.rpcUrls.default.http[0], { timeout: this.options.rpcTimeoutMs, retryCount: 0 });
    return (parameters) => {
      const inner = rpc({ ...parameters, retryCount: 0 });
      type Request = typeof inner.config.request;
      // The breaker hands back what the request answered; viem's generic return type is the request's own.
      const request = (async (args: Parameters<Request>[0], requestOptions: Parameters<Request>[1]) => {
        try {
          return await this.breaker.fire(() => inner.config.request(args, requestOptions));
        } catch (error) {
          if (!isOpenCircuit(error)) throw error;
          throw new RpcUnavailableError(this.chain.id, Math.max(0, this.openedAt + this.options.breakerResetMs - Date.now()));
        }
      }) as Request;
      return createTransport(
        { key: 'guarded-http', name: 'HTTP JSON-RPC behind a circuit breaker', type: 'http', request, retryCount: 0, timeout: this.options.rpcTimeoutMs },
        inner.value,
      );
    };
  }
}

/**
 * The viem clients of the enabled chains: one public client per chain, and wallet clients for a
 * given key. Every request to a chain's endpoint goes through that endpoint's circuit breaker
 * (`rpc:<chainId>`), shown by `breakers` as `circuit_breaker_state{breaker="rpc:<chainId>"}` and
 * in readiness like the payment providers' breakers. Requests time out after `rpcTimeoutMs`; a
 * failure (timeout, connection refused, HTTP error) counts, an answered JSON-RPC error does not.
 * Once open, a request fails at once with RpcUnavailableError until a probe succeeds.
 */
export class ChainClients {
  private readonly endpoints = new Map<number, Endpoint>();
  private readonly publicClients = new Map<number, PublicClient>();

  constructor(
    private readonly configs: readonly ChainConfig[],
    options: ChainClientsOptions = DEFAULT_CHAIN_CLIENTS_OPTIONS,
    breakers?: CircuitBreakerRegistry,
  ) {
    for (const config of configs) {
      const endpoint = new Endpoint(viemChain(config), options);
      this.endpoints.set(config.id, endpoint);
      breakers?.track(endpoint.breaker, { owner: 'chain', provider: config.name });
    }
  }

  /** The enabled chains, as configured. */
  get chains(): readonly ChainConfig[] {
    return this.configs;
  }

  chain(chainId: number): ChainConfig {
    const config = this.configs.find(({ id }) => id === chainId);
    if (config === undefined) throw new UnknownChainError(chainId);
    return config;
  }

  /** The chain's public client (reads, receipts, logs), made once. */
  publicClient(chainId: number): PublicClient {
    const endpoint = this.endpoint(chainId);
    let client = this.publicClients.get(chainId);
    if (client === undefined) {
      client = createPublicClient({ chain: endpoint.chain, transport: endpoint.transport });
      this.publicClients.set(chainId, client);
    }
    return client;
  }

  /** A wallet client that signs locally with `privateKey` and sends through the chain's breaker. */
  walletClient(chainId: number, privateKey: `0x${string}`): WalletClient<Transport, Chain, Account> {
    const endpoint = this.endpoint(chainId);
    return createWalletClient({ account: privateKeyToAccount(privateKey), chain: endpoint.chain, transport: endpoint.transport });
  }

  circuit(chainId: number): 'closed' | 'half-open' | 'open' {
    const { breaker } = this.endpoint(chainId);
    return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
  }

  onApplicationShutdown(): void {
    for (const { breaker } of this.endpoints.values()) breaker.shutdown();
  }

  private endpoint(chainId: number): Endpoint {
    const endpoint = this.endpoints.get(chainId);
    if (endpoint === undefined) throw new UnknownChainError(chainId);
    return endpoint;
  }
}
