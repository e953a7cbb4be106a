import { OnHandBelowReservedError } from './inventory.errors';

/** Stock of one product: `reserved` units of `onHand` are promised to orders not yet shipped. */
export interface StockLevel {
  productId: string;
  onHand: number;
  reserved: number;
}

export const MAX_ON_HAND = 1_000_000_000;

export function availableOf(level: StockLevel): number {
  return level.onHand - level.reserved;
}

/** A stock count may correct on-hand freely, but never below the units already reserved. */
export function assertOnHandCoversReserved(productId: string, onHand: number, reserved: number): void {
  if (onHand < reserved) throw new OnHandBelowReservedError(productId, onHand, reserved);
}
