import { getAddress, isAddress } from 'viem';

/** An ERC-20 token the shop accepts on a chain, by the symbol it is known by there. */
export interface TokenConfig {
  address: `0x${string}`;
  /** What one whole token is in the contract's units: 6 for USDC and EURC. */
  decimals: number;
}

/** An EVM chain the shop reads (and mints receipts on), enabled by WEB3_CHAINS. */
export interface ChainConfig {
  /** The EIP-155 chain id. */
  id: number;
  name: string;
  /** The JSON-RPC endpoint. It may carry an API key in its path: never log it. */
  rpcUrl: string;
  /** Blocks a transaction must be deep (1: in the latest block) before the shop counts it. */
  confirmations: number;
  /** Accepted tokens by symbol (`USDC`, `EURC`). */
  tokens: Record<string, TokenConfig>;
  /** The OrderReceipt contract on this chain, once deployed (`npm run contracts:deploy`). */
  receiptContract?: `0x${string}`;
}

/** What the shop knows of a chain before configuration gives it an endpoint. */
export type KnownChain = Omit<ChainConfig, 'rpcUrl' | 'receiptContract'>;

export const LOCAL_CHAIN_ID = 31337;

/**
 * Chains described in code; WEB3_CHAINS enables them with an endpoint and may override or extend
 * each field. Token addresses are Circle's own issues (its "USDC Contract Addresses" and "EURC
 * Contract Addresses" pages), never bridged copies: Circle issues no EURC on Polygon PoS, and the
 * bridged USDC.e there (0x2791…4174) is another token.
 */
export const KNOWN_CHAINS: Readonly<Record<number, KnownChain>> = {
  1: {
    id: 1,
    name: 'Ethereum',
    // About 2.5 minutes of 12 s slots. No reorganisation past a couple of blocks since the merge;
    // finality itself (two epochs, about 13 minutes) can be asked for with a higher count.
    confirmations: 12,
    tokens: {
      USDC: { address: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', decimals: 6 },
      EURC: { address: '0x1aBaEA1f7C830bD89Acc67eC4af516284b1bC33c', decimals: 6 },
    },
  },
  137: {
    id: 137,
    name: 'Polygon',
    // About 4 minutes of 2 s blocks. Polygon PoS reorganised dozens of blocks deep before its
    // milestones (PIP-11) made finality deterministic; the margin stays until operators lower it.
    confirmations: 128,
    tokens: {
      USDC: { address: '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', decimals: 6 },
    },
  },
  8453: {
    id: 8453,
    name: 'Base',
    // About 20 s of 2 s blocks. The sequencer's blocks reorganise only when their batch fails to
    // reach Ethereum, which takes minutes to be sure of: raise it for large amounts.
    confirmations: 10,
    tokens: {
      USDC: { address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', decimals: 6 },
      EURC: { address: '0x60a3E35Cc302bFA44Cb288Bc5a4F316Fdb1adb42', decimals: 6 },
    },
  },
  // anvil (test/support/evm-node.ts, the compose web3 profile): one block per transaction, no
  // reorganisations. Its TestStablecoin is deployed per run, so WEB3_CHAINS names it.
  [LOCAL_CHAIN_ID]: { id: LOCAL_CHAIN_ID, name: 'Local development chain', confirmations: 1, tokens: {} },
};

const MAX_SETTING_CHARS = 65_536;
const MAX_CHAINS = 20;
const MAX_TOKENS = 20;
const MAX_URL_CHARS = 2048;
const MAX_CONFIRMATIONS = 10_000;
const MAX_DECIMALS = 36;
const SYMBOL = /^[A-Za-z0-9._-]{1,16}$/;
const ENTRY_FIELDS = ['id', 'name', 'rpcUrl', 'confirmations', 'tokens', 'receiptContract'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isIntegerIn = (value: unknown, min: number, max: number): value is number =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

/** Collects the problems of one entry, each naming its field as `WEB3_CHAINS[i].field`. */
class EntryReader {
  constructor(
    private readonly at: string,
    private readonly problems: string[],
  ) {}

  problem(field: string, message: string): undefined {
    this.problems.push(`${this.at}${field} ${message}`);
    return undefined;
  }

  integer(field: string, value: unknown, min: number, max: number): number | undefined {
    return isIntegerIn(value, min, max) ? value : this.problem(field, `must be an integer from ${min} to ${max}`);
  }

  address(field: string, value: unknown): `0x${string}` | undefined {
    // Mixed case must be the EIP-55 checksum: a mistyped address is refused, not lost funds.
    if (typeof value === 'string' && isAddress(value, { strict: true })) return getAddress(value);
    return this.problem(field, 'must be an address: 0x and 40 hex digits, in lower case or with a valid EIP-55 checksum');
  }

  rpcUrl(value: unknown): string | undefined {
    if (typeof value === 'string' && value.length <= MAX_URL_CHARS && URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol)) {
      return value;
    }
    // Not repeated in the message: the URL may carry an API key.
    return this.problem('.rpcUrl', `must be an http:// or https:// URL of at most ${MAX_URL_CHARS} characters`);
  }

  tokens(value: unknown): Record<string, TokenConfig> | undefined {
    if (value === undefined) return {};
    if (!isObject(value) || Object.keys(value).length > MAX_TOKENS) {
      return this.problem('.tokens', `must be an object of at most ${MAX_TOKENS} tokens by symbol, like {"USDC": {"address": "0x…", "decimals": 6}}`);
    }
    const tokens: Record<string, TokenConfig> = {};
    for (const [symbol, token] of Object.entries(value)) {
      const field = `.tokens.${symbol}`;
      if (!SYMBOL.test(symbol)) {
        this.problem(field, 'is no token symbol: 1 to 16 letters, digits, ".", "_" or "-"');
        continue;
      }
      if (!isObject(token)) {
        this.problem(field, 'must be {"address": "0x…", "decimals": n}');
        continue;
      }
      const unknown = Object.keys(token).filter((key) => key !== 'address' && key !== 'decimals');
      if (unknown.length > 0) this.problem(field, `has unknown fields ${unknown.join(', ')} (known: address, decimals)`);
      const address = this.address(`${field}.address`, token.address);
      const decimals = this.integer(`${field}.decimals`, token.decimals, 0, MAX_DECIMALS);
      if (address !== undefined && decimals !== undefined) tokens[symbol] = { address, decimals };
    }
    return tokens;
  }
}

function chainOf(entry: unknown, index: number, problems: string[]): ChainConfig | undefined {
  const read = new EntryReader(`WEB3_CHAINS[${index}]`, problems);
  if (!isObject(entry)) return read.problem('', 'must be an object like {"id": 8453, "rpcUrl": "https://…"}');
  const unknown = Object.keys(entry).filter((key) => !ENTRY_FIELDS.includes(key));
  if (unknown.length > 0) read.problem('', `has unknown fields ${unknown.join(', ')} (known: ${ENTRY_FIELDS.join(', ')})`);
  const id = read.integer('.id', entry.id, 1, Number.MAX_SAFE_INTEGER);
  const known = id === undefined ? undefined : KNOWN_CHAINS[id];
  const rpcUrl = read.rpcUrl(entry.rpcUrl);
  const name = entry.name === undefined ? (known?.name ?? `Chain ${id}`) : entry.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 64) read.problem('.name', 'must be a name of 1 to 64 characters');
  let confirmations = known?.confirmations;
  if (entry.confirmations !== undefined) confirmations = read.integer('.confirmations', entry.confirmations, 1, MAX_CONFIRMATIONS);
  else if (known === undefined && id !== undefined) read.problem('.confirmations', `is required for chain ${id}, which has no default`);
  const tokens = read.tokens(entry.tokens);
  const receiptContract = entry.receiptContract === undefined ? undefined : read.address('.receiptContract', entry.receiptContract);
  if (id === undefined || rpcUrl === undefined || confirmations === undefined || tokens === undefined || typeof name !== 'string') return undefined;
  return {
    id,
    name,
    rpcUrl,
    confirmations,
    // Per symbol: a token given here replaces the known one of that symbol, the others stay.
    tokens: { ...known?.tokens, ...tokens },
    ...(receiptContract === undefined ? {} : { receiptContract }),
  };
}

/**
 * Reads WEB3_CHAINS: a JSON array of `{ id, rpcUrl, confirmations?, tokens?, receiptContract?, name? }`,
 * one per chain to enable. An entry for a chain of KNOWN_CHAINS takes its name, confirmations and
 * tokens unless it gives its own; any other chain needs its confirmations. Collects every problem,
 * each naming its field, instead of stopping at the first.
 */
export function parseChainSettings(raw: string): { chains: ChainConfig[]; problems: string[] } {
  const problems: string[] = [];
  if (raw.length > MAX_SETTING_CHARS) return { chains: [], problems: [`WEB3_CHAINS must be at most ${MAX_SETTING_CHARS} characters`] };
  let entries: unknown;
  try {
    entries = JSON.parse(raw);
  } catch {
    return { chains: [], problems: ['WEB3_CHAINS must be JSON: an array like [{"id": 8453, "rpcUrl": "https://…"}]'] };
  }
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_CHAINS) {
    return { chains: [], problems: [`WEB3_CHAINS must be a JSON array of 1 to ${MAX_CHAINS} chains like {"id": 8453, "rpcUrl": "https://…"}`] };
  }
  const chains = entries.map((entry, index) => chainOf(entry, index, problems)).filter((chain) => chain !== undefined);
  const ids = chains.map(({ id }) => id);
  const repeated = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
  if (repeated.length > 0) problems.push(`WEB3_CHAINS names chain ${repeated.join(', ')} more than once`);
  return { chains: problems.length === 0 ? chains : [], problems };
}
