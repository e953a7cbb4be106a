export class InsufficientStockError extends Error {
  constructor(onHand: number, quantity: number) {
    super(`cannot reserve ${quantity} of ${onHand}`);
  }
}
