import { Money } from './payment';

export const TRANSFER_REQUEST_STATUSES = ['OPEN', 'PAID', 'EXPIRED', 'CANCELLED'] as const;
export type TransferRequestStatus = (typeof TRANSFER_REQUEST_STATUSES)[number];

/**
 * What a transfer to a request's address did: `COUNTED` towards its amount; `LATE`, in a block after
 * the expiry; `AFTER_CLOSE`, once the request was paid, expired or cancelled; `WRONG_TOKEN`, another
 * token than the one asked for. Only counted transfers pay; the others are kept for support to give back.
 */
export type TransferEffect = 'COUNTED' | 'LATE' | 'AFTER_CLOSE' | 'WRONG_TOKEN';

export interface TransferRequestState {
  paymentId: string;
  orderId: string;
  chainId: number;
  /** The token's symbol, and its contract (lower case). */
  token: string;
  tokenAddress: string;
  /** The shop's address made for this request alone (lower case). */
  receivingAddress: string;
  /** In the token's smallest unit. */
  amount: bigint;
  received: bigint;
  status: TransferRequestStatus;
  expiresAt: Date;
  /** Where the first counted transfer came from. */
  payer: string | null;
}

/** A token transfer to the request's address, as its confirmed block holds it. */
export interface ObservedTransfer {
  tokenAddress: string;
  from: string;
  amount: bigint;
  blockTime: Date;
}

/** The stablecoin of each currency the shop sells in, one unit to one unit. */
export const STABLECOIN_OF_CURRENCY: Readonly<Record<string, string>> = { USD: 'USDC', EUR: 'EURC' };

/** Currencies the shop sells in have two decimals: a token with `decimals` has 10^(decimals - 2) smallest units per cent. */
export function tokenAmountOf({ amount }: Money, decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 2) throw new Error(`a token with ${decimals} decimals cannot carry cents`);
  return BigInt(amount) * 10n ** BigInt(decimals - 2);
}

/**
 * An order's request to be paid by an on-chain transfer of a token to an address, until an expiry
 * judged by the time of the transfer's block (the chain's clock, not ours). Transfers add up: two
 * that together reach the amount pay it; more than the amount is an overpayment, kept as received.
 */
export class TransferRequest {
  private constructor(private state: TransferRequestState) {}

  static open(state: Omit<TransferRequestState, 'received' | 'status' | 'payer'>): TransferRequest {
    if (state.amount <= 0n) throw new Error('a transfer request asks for more than nothing');
    return new TransferRequest({ ...state, received: 0n, status: 'OPEN', payer: null });
  }

  static restore(state: TransferRequestState): TransferRequest {
    return new TransferRequest({ ...state });
  }

  get paymentId(): string {
    return this.state.paymentId;
  }

  get status(): TransferRequestStatus {
    return this.state.status;
  }

  toState(): TransferRequestState {
    return { ...this.state };
  }

  /** Counts a transfer to the request's address; `paid` when it completes the amount. */
  count(transfer: ObservedTransfer): { effect: TransferEffect; paid: boolean } {
    if (transfer.tokenAddress.toLowerCase() !== this.state.tokenAddress) return { effect: 'WRONG_TOKEN', paid: false };
    if (this.state.status !== 'OPEN') return { effect: 'AFTER_CLOSE', paid: false };
    if (transfer.blockTime > this.state.expiresAt) return { effect: 'LATE', paid: false };
    this.state.received += transfer.amount;
    this.state.payer ??= transfer.from.toLowerCase();
    if (this.state.received < this.state.amount) return { effect: 'COUNTED', paid: false };
    this.state.status = 'PAID';
    return { effect: 'COUNTED', paid: true };
  }

  /**
   * Closes an open request once the chain's time, as of the last confirmed block read, is past its
   * expiry: every transfer that could still count has been counted. Says why it went unpaid.
   */
  expire(chainTime: Date): 'transfer_not_received' | 'transfer_underpaid' | null {
    if (this.state.status !== 'OPEN' || chainTime <= this.state.expiresAt) return null;
    this.state.status = 'EXPIRED';
    return this.state.received > 0n ? 'transfer_underpaid' : 'transfer_not_received';
  }

  /** The order voided the payment: later transfers count for nothing. */
  cancel(): boolean {
    if (this.state.status !== 'OPEN') return false;
    this.state.status = 'CANCELLED';
    return true;
  }
}
