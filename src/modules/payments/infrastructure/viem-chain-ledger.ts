import type { PublicClient } from 'viem';
import type { ChainBlock, ChainLedger, TokenTransferLog } from '../application/ports/chain-ledger';

/**
 * ERC-20's `event Transfer(address indexed from, address indexed to, uint256 value)`, as viem's
 * `parseAbiItem` gives it; written out so that loading this file does not load viem (docs/decisions/0063).
 */
const TRANSFER = {
  type: 'event',
  name: 'Transfer',
  inputs: [
    { type: 'address', name: 'from', indexed: true },
    { type: 'address', name: 'to', indexed: true },
    { type: 'uint256', name: 'value' },
  ],
} as const;

/** A chain read through viem's public client (whose transport sends every request through the endpoint's breaker). */
export class ViemChainLedger implements ChainLedger {
  constructor(
    readonly chainId: number,
    private readonly client: PublicClient,
  ) {}

  head(): Promise<bigint> {
    return this.client.getBlockNumber({ cacheTime: 0 });
  }

  async block(number: bigint): Promise<ChainBlock> {
    const block = await this.client.getBlock({ blockNumber: number });
    return { number: block.number, hash: block.hash, time: new Date(Number(block.timestamp) * 1000) };
  }

  async transfers(tokenAddresses: readonly string[], fromBlock: bigint, toBlock: bigint): Promise<TokenTransferLog[]> {
    if (tokenAddresses.length === 0) return [];
    const logs = await this.client.getLogs({ address: tokenAddresses as `0x${string}`[], event: TRANSFER, fromBlock, toBlock, strict: true });
    return logs
      .filter((log) => !log.removed)
      .map((log) => ({
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        tokenAddress: log.address.toLowerCase(),
        from: log.args.from.toLowerCase(),
        to: log.args.to.toLowerCase(),
        amount: log.args.value,
      }))
      .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  }
}
