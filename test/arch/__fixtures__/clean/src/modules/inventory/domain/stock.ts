import { InsufficientStockError } from './stock.errors';

export function reserve(onHand: number, quantity: number): number {
  if (quantity > onHand) throw new InsufficientStockError(onHand, quantity);
  return onHand - quantity;
}
