import { formatMoney } from '../../../../libs/money';

export interface Money {
  amount: number;
  currency: string;
}

/** A line of the order as it was charged. */
export interface ReceiptLine {
  productId: string;
  quantity: number;
  unitPrice: Money;
}

/** The order as its confirmation told it. */
export interface Confirmation {
  customerId: string;
  total: Money;
  /** Empty for a confirmation sent before confirmations carried their lines. */
  lines: ReceiptLine[];
  confirmedAt: Date;
}

/** The on-chain transfer that paid the order: on which chain, from which wallet. */
export interface OnChainPayment {
  paymentId: string;
  chainId: number;
  payer: string;
}

/**
 * One thing receipts learns of an order, from ordering's and payments' events, which come in any
 * order and more than once: each is recorded once, and a repeat changes nothing.
 */
export type OrderFact =
  | ({ kind: 'confirmed' } & Confirmation)
  | ({ kind: 'paid-on-chain' } & OnChainPayment)
  | { kind: 'completed'; completedAt: Date };

/** Where and to whom a receipt is minted: decided once, when its order is known in full. */
export interface MintTarget {
  chainId: number;
  contractAddress: string;
  owner: string;
}

/** What receipts knows of an order so far. */
export interface ReceiptFacts {
  orderId: string;
  confirmation?: Confirmation;
  payment?: OnChainPayment;
  completedAt?: Date;
  /** Set once the mint was asked for. */
  mintTarget?: MintTarget;
}

/**
 * A receipt is minted for an order that is confirmed, paid by an on-chain transfer (so there is a
 * wallet to mint it to) and completed (captured and will ship), and only once.
 */
export function readyToMint(facts: ReceiptFacts): facts is ReceiptFacts & Required<Pick<ReceiptFacts, 'confirmation' | 'payment' | 'completedAt'>> {
  return facts.confirmation !== undefined && facts.payment !== undefined && facts.completedAt !== undefined && facts.mintTarget === undefined;
}

/** A minted receipt, as its metadata shows it. */
export interface MintedReceipt {
  orderId: string;
  tokenId: bigint;
  confirmation: Confirmation;
}

/** An attribute as wallets and marketplaces show them (the OpenSea metadata standard). */
export type ReceiptAttribute =
  | { trait_type: string; value: string }
  | { trait_type: string; value: number; display_type: 'number' | 'date' };

/** ERC-721 metadata JSON (the schema of EIP-721's tokenURI), with the order under `properties`. */
export interface ReceiptMetadata {
  name: string;
  description: string;
  attributes: ReceiptAttribute[];
  properties: {
    orderId: string;
    items: ReceiptLine[];
    total: Money;
    /** ISO 8601. */
    confirmedAt: string;
  };
}

/**
 * What the token's metadata says of its order: public, as anyone may read a token's URI, so it
 * names the order and what was bought, never the customer.
 */
export function receiptMetadata({ orderId, confirmation }: MintedReceipt): ReceiptMetadata {
  const { total, lines, confirmedAt } = confirmation;
  const items = lines.reduce((sum, line) => sum + line.quantity, 0);
  const day = confirmedAt.toISOString().slice(0, 10);
  return {
    name: `Receipt of order ${orderId}`,
    description:
      `Proof of purchase of order ${orderId}: ${items === 0 ? '' : `${items} ${items === 1 ? 'item' : 'items'}, `}` +
      `${formatMoney(total)} paid by an on-chain transfer, confirmed on ${day}.`,
    attributes: [
      { trait_type: 'Total', value: formatMoney(total) },
      { trait_type: 'Currency', value: total.currency },
      { trait_type: 'Items', value: items, display_type: 'number' },
      { trait_type: 'Confirmed', value: Math.floor(confirmedAt.getTime() / 1000), display_type: 'date' },
    ],
    properties: {
      orderId,
      items: lines.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice: { ...unitPrice } })),
      total: { ...total },
      confirmedAt: confirmedAt.toISOString(),
    },
  };
}
