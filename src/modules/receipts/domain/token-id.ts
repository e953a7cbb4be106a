/**
 * A receipt's ERC-721 token id is its order's id: the UUID's 128 bits read as an unsigned integer.
 * So an order has one token id, the contract mints a token id once, and the id leads back to the
 * order without a lookup table.
 */
export const MAX_TOKEN_ID = (1n << 128n) - 1n;

/** At most 39 decimal digits: 2^128 - 1 = 340282366920938463463374607431768211455. */
export const TOKEN_ID_PATTERN = '^[0-9]{1,39}$';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function tokenIdOf(orderId: string): bigint {
  if (!UUID.test(orderId)) throw new Error(`${orderId} is not a UUID`);
  return BigInt(`0x${orderId.replace(/-/g, '')}`);
}

/** The order id a token id stands for, in lower case. */
export function orderIdOf(tokenId: bigint): string {
  if (tokenId < 0n || tokenId > MAX_TOKEN_ID) throw new RangeError(`token id ${tokenId} is not an order's`);
  const hex = tokenId.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A token id written in decimal, as wallets and the contract's tokenURI write it; undefined when it is none of an order's. */
export function parseTokenId(text: string): bigint | undefined {
  if (!new RegExp(TOKEN_ID_PATTERN).test(text)) return undefined;
  const value = BigInt(text);
  return value <= MAX_TOKEN_ID ? value : undefined;
}
