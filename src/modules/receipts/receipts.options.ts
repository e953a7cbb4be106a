import type { LocalAccount } from 'viem';
import type { ChainConfig } from '../../../libs/chain';

export const RECEIPTS_OPTIONS = Symbol('RECEIPTS_OPTIONS');

/** The chain receipts are minted on (RECEIPTS_CHAIN_ID, one of WEB3_CHAINS, with its receipt contract), and who mints them. */
export interface ReceiptMinting {
  chain: ChainConfig & { receiptContract: `0x${string}` };
  /** Signs the mint transactions locally: a viem local account, which holds the key and never shows it. */
  minter: LocalAccount;
}

export interface ReceiptsOptions {
  /** Unset (no RECEIPTS_CHAIN_ID): orders are recorded as their events arrive, and no receipt is minted. */
  minting?: ReceiptMinting;
  /** How long a mint waits for its transaction to be mined before its message is retried (the transaction stays recorded). */
  mintTimeoutMs: number;
  /** How often the chain is asked for a mint transaction's receipt while it is awaited. */
  pollIntervalMs: number;
}

export const DEFAULT_RECEIPTS_OPTIONS: ReceiptsOptions = {
  mintTimeoutMs: 120_000,
  pollIntervalMs: 1000,
};
