export const CHAIN_LEDGERS = Symbol('CHAIN_LEDGERS');

/** An ERC-20 `Transfer` log, as a block holds it. Addresses in lower case. */
export interface TokenTransferLog {
  transactionHash: string;
  logIndex: number;
  blockNumber: bigint;
  blockHash: string;
  tokenAddress: string;
  from: string;
  to: string;
  amount: bigint;
}

export interface ChainBlock {
  number: bigint;
  hash: string;
  /** The block's timestamp: the chain's clock. */
  time: Date;
}

/** What payments reads of one chain, through its RPC endpoint. */
export interface ChainLedger {
  readonly chainId: number;
  /** The number of the latest block. */
  head(): Promise<bigint>;
  block(number: bigint): Promise<ChainBlock>;
  /** The `Transfer` logs of these token contracts in blocks `fromBlock` to `toBlock`, both included, in chain order. */
  transfers(tokenAddresses: readonly string[], fromBlock: bigint, toBlock: bigint): Promise<TokenTransferLog[]>;
}
