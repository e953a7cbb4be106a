export function reserve(onHand: number, quantity: number): number {
  return onHand - quantity;
}
