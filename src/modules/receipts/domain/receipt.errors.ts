/**
 * A mint command for an order whose receipt receipts has not asked for: its confirmation, on-chain
 * payment or completion has not been recorded yet. Retryable: they may only be late.
 */
export class ReceiptNotRequestedError extends Error {
  readonly code = 'RECEIPTS.NOT_REQUESTED';

  constructor(orderId: string) {
    super(`no receipt of order ${orderId} was asked for yet: the order is not known as confirmed, paid on-chain and completed`);
  }
}

/** A mint asked for on a chain this process does not mint on (RECEIPTS_CHAIN_ID changed since): replay it once configured. */
export class ReceiptChainNotConfiguredError extends Error {
  readonly code = 'RECEIPTS.CHAIN_NOT_CONFIGURED';
  readonly retryable = false;

  constructor(orderId: string, chainId: number) {
    super(`the receipt of order ${orderId} is to be minted on chain ${chainId}, which is not this process' receipt chain (RECEIPTS_CHAIN_ID)`);
  }
}

/** The mint transaction is broadcast but not mined yet: its message is retried, and finds it recorded. */
export class MintNotMinedYetError extends Error {
  readonly code = 'RECEIPTS.MINT_PENDING';

  constructor(orderId: string, hash: string, waitedMs: number) {
    super(`the mint of order ${orderId}'s receipt (${hash}) is not mined after ${waitedMs} ms; checked again on the next delivery`);
  }
}
