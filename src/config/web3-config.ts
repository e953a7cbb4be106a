import { DEFAULT_CHAIN_CLIENTS_OPTIONS as DEFAULTS, parseChainSettings, type ChainClientsOptions, type ChainConfig } from '../../libs/chain';

interface EnvReading {
  readonly problems: string[];
  optional(name: string): string | undefined;
  int(name: string, fallback: number, min: number, max?: number): number;
}

export interface Web3Options {
  /** The chains WEB3_CHAINS enables; none by default. */
  chains: ChainConfig[];
  /** Each chain's RPC endpoint: request timeout and circuit breaker. */
  rpc: ChainClientsOptions;
}

/**
 * `WEB3_CHAINS`: a JSON array of `{ id, rpcUrl, confirmations?, tokens?, receiptContract?, name? }`
 * (libs/chain/README.md). Ethereum (1), Polygon (137), Base (8453) and the local chain (31337) are
 * known: an entry for one of them needs only its endpoint. `WEB3_RPC_TIMEOUT_MS`,
 * `WEB3_RPC_BREAKER_FAILURES` and `WEB3_RPC_BREAKER_RESET_MS` tune every endpoint's client.
 */
export function web3Of(read: EnvReading): Web3Options {
  const raw = read.optional('WEB3_CHAINS');
  const { chains, problems } = raw === undefined ? { chains: [], problems: [] } : parseChainSettings(raw);
  read.problems.push(...problems);
  return {
    chains,
    rpc: {
      rpcTimeoutMs: read.int('WEB3_RPC_TIMEOUT_MS', DEFAULTS.rpcTimeoutMs, 100, 300_000),
      breakerFailures: read.int('WEB3_RPC_BREAKER_FAILURES', DEFAULTS.breakerFailures, 1, 1000),
      breakerResetMs: read.int('WEB3_RPC_BREAKER_RESET_MS', DEFAULTS.breakerResetMs, 100, 3_600_000),
    },
  };
}
