/** A wallet linked to an account; its address in lower case, the one spelling stored and compared. */
export interface Wallet {
  address: string;
  linkedAt: Date;
}

/** Addresses are case-insensitive (EIP-55 case is only a checksum): one spelling per wallet. */
export function normalizeAddress(address: string): string {
  return address.toLowerCase();
}
