import type { MinedTransaction, SignedMint } from '../../domain/mint';
import type { MintTarget } from '../../domain/receipt';

export const RECEIPT_CHAIN = Symbol('RECEIPT_CHAIN');

/** What broadcasting a signed transaction came to: the node has it, or its nonce went to another transaction. */
export type BroadcastOutcome = 'sent' | 'nonce-used';

/**
 * The chain receipts are minted on, as its minter sees it. Any call may fail with
 * ChainUnreachableError (retried) or ChainUnavailableError (deferred while the RPC endpoint's
 * circuit is open).
 */
export interface ReceiptChain {
  readonly chainId: number;
  /** The minter's address: the sender of every mint transaction. */
  readonly minter: string;
  /** Who holds the receipt `tokenId`, or null while it is not minted. */
  ownerOf(target: MintTarget, tokenId: bigint): Promise<string | null>;
  /** The transaction that minted `tokenId` (its Transfer from the zero address), when the chain can tell. */
  mintOf(target: MintTarget, tokenId: bigint): Promise<MinedTransaction | null>;
  /** The minter's next nonce, its pending transactions counted. */
  nextNonce(): Promise<number>;
  /** Signs `mint(owner, tokenId)` with that nonce, locally: nothing is sent. */
  signMint(target: MintTarget, tokenId: bigint, nonce: number): Promise<SignedMint>;
  broadcast(transaction: SignedMint): Promise<BroadcastOutcome>;
  /** Whether the node knows the transaction, mined or waiting to be. */
  knows(hash: string): Promise<boolean>;
  /** The transaction's receipt, once mined with the chain's confirmations; null while it is not. */
  receiptOf(hash: string): Promise<MinedTransaction | null>;
  /** Waits for the receipt for up to `timeoutMs`; null if it is not mined by then. */
  waitForReceipt(hash: string, timeoutMs: number): Promise<MinedTransaction | null>;
}

/** The chain's RPC endpoint did not answer (refused, timed out, broken connection): worth retrying. */
export class ChainUnreachableError extends Error {
  override readonly name = 'ChainUnreachableError';
}

/** Calls to the chain's RPC endpoint are short-circuited while it keeps failing: the mint waits for it. */
export class ChainUnavailableError extends Error {
  override readonly name = 'ChainUnavailableError';
  /** Messaging retries the mint until the endpoint is back, without using up its deliveries. */
  readonly deferred = true;

  /** When the endpoint may take calls again (its circuit half-opens then), if known. */
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The contract refuses the mint for good (the minter lacks MINTER_ROLE, say): an operator has to look, then replay it. */
export class MintRefusedError extends Error {
  override readonly name = 'MintRefusedError';
  readonly retryable = false;
}
