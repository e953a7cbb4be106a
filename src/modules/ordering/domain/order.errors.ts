/** An event that does not follow from the order's status, as a reply to a decided order. */
export class OrderNotExpectingError extends Error {
  readonly code = 'ORDERING.ORDER_NOT_EXPECTING';

  constructor(orderId: string, status: string, eventType: string) {
    super(`order ${orderId} is ${status}: it takes no ${eventType}`);
  }
}

export class EmptyOrderError extends Error {
  readonly code = 'ORDERING.EMPTY_ORDER';

  constructor() {
    super('an order needs at least one line');
  }
}

export class MixedCurrencyError extends Error {
  readonly code = 'ORDERING.MIXED_CURRENCY';

  constructor(
    readonly lineIndex: number,
    readonly lineCurrency: string,
    readonly orderCurrency: string,
  ) {
    super(`line ${lineIndex} is priced in ${lineCurrency}, the order is in ${orderCurrency}`);
  }
}

export class OrderTotalTooLargeError extends Error {
  readonly code = 'ORDERING.TOTAL_TOO_LARGE';

  constructor(readonly maxTotal: number) {
    super(`the order total would exceed ${maxTotal} minor units`);
  }
}

/** An `Idempotency-Key` sent again with a different request. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'ORDERING.IDEMPOTENCY_KEY_REUSED';

  constructor(readonly key: string) {
    super(`the Idempotency-Key ${JSON.stringify(key)} was used with a different request; use a new key for a new order`);
  }
}
