/** A reservation request no retry can make valid (an empty order, a quantity that is not a positive integer). */
export class InvalidReservationError extends Error {
  readonly code = 'INVENTORY.INVALID_RESERVATION';
  /** Read by the message relay: such a message goes straight to the dead letters. */
  readonly retryable = false;

  constructor(orderId: string, detail: string) {
    super(`cannot reserve order ${orderId}: ${detail}`);
    this.name = 'InvalidReservationError';
  }
}

/** On-hand stock may not drop below what is already promised to orders. */
export class OnHandBelowReservedError extends Error {
  readonly code = 'INVENTORY.ON_HAND_BELOW_RESERVED';

  constructor(
    readonly productId: string,
    readonly onHand: number,
    readonly reserved: number,
  ) {
    super(`product ${productId} has ${reserved} units reserved; on-hand cannot be set to ${onHand}`);
    this.name = 'OnHandBelowReservedError';
  }
}

/** Stock is kept only for products of the catalog, as inventory heard of them from its events. */
export class UnknownProductError extends Error {
  readonly code = 'INVENTORY.UNKNOWN_PRODUCT';

  constructor(readonly productId: string) {
    super(`the catalog has no product ${productId}`);
    this.name = 'UnknownProductError';
  }
}
