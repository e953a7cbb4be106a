import { defineMessage } from '../message';
import { integer, object, text, uuid } from '../schema';
import { chainAddressV1Schema } from '../payments/payloads';

export interface MintOrderReceiptV1Payload {
  orderId: string;
  /**
   * The receipt's ERC-721 token id: the order id's 128 bits read as an unsigned integer, in decimal
   * (a uint256 does not fit a JSON number). One order, one token id: the contract mints it once.
   */
  tokenId: string;
  /** EIP-155 id of the chain the receipt contract is on. */
  chainId: number;
  /** The receipt contract (ERC-721) on that chain. */
  contractAddress: string;
  /** Who gets the receipt: the wallet that paid the order. */
  owner: string;
}

export const mintOrderReceiptV1Schema = object<MintOrderReceiptV1Payload>({
  orderId: uuid(),
  // 2^128 - 1 has 39 digits.
  tokenId: text(39, { pattern: '^(0|[1-9][0-9]*)$' }),
  chainId: integer(1),
  contractAddress: chainAddressV1Schema,
  owner: chainAddressV1Schema,
});

/**
 * Mint the receipt of a paid order, paid by an on-chain transfer, to the wallet that paid it. Sent
 * by receipts to itself once the order is confirmed, paid on-chain and completed; handled once per
 * order whatever the deliveries (the token id is the order's).
 */
export class MintOrderReceiptV1 extends defineMessage<MintOrderReceiptV1Payload>(
  {
    type: 'receipts.receipt.mint',
    version: 1,
    kind: 'command',
    context: 'receipts',
  },
  mintOrderReceiptV1Schema,
) {}
