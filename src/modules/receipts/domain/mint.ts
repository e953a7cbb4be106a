import type { MintTarget } from './receipt';

/** A mint transaction signed by the minter: recorded before it is broadcast, so it can be sent again as it is. */
export interface SignedMint {
  hash: string;
  nonce: number;
  /** The signed transaction, as broadcast (0x hex). */
  serialized: string;
}

/** A transaction the chain mined: whether it did what it was sent for, where, and at what cost. */
export interface MinedTransaction {
  hash: string;
  status: 'success' | 'reverted';
  blockNumber: bigint;
  gasUsed: bigint;
}

/** Where an order's mint stands, as committed. */
export interface MintState {
  orderId: string;
  tokenId: bigint;
  target: MintTarget;
  /** The last mint transaction recorded, if any. */
  transaction?: SignedMint;
  minted: boolean;
}
