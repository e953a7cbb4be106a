import { EmptyOrderError, MixedCurrencyError, OrderNotExpectingError } from './order.errors';
import { Money, OrderEvent, OrderLine, PaymentMethod, PaymentTransferRequest, RecordedOrderEvent } from './order-events';
import { orderTotal } from './order-total';

/**
 * PENDING until the saga decides: CONFIRMED (stock reserved, payment authorized), REJECTED or
 * ROLLED_BACK. A confirmed order then ends COMPLETED (payment captured and stock committed) or
 * CANCELLED (the capture failed for good: stock returned, authorization released).
 */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'COMPLETED' | 'CANCELLED' | 'REJECTED' | 'ROLLED_BACK';

export const ORDER_STATUSES: readonly OrderStatus[] = ['PENDING', 'CONFIRMED', 'COMPLETED', 'CANCELLED', 'REJECTED', 'ROLLED_BACK'];

/** Statuses nothing follows. */
const FINAL_STATUSES: readonly OrderStatus[] = ['COMPLETED', 'CANCELLED', 'REJECTED', 'ROLLED_BACK'];

type RecordableEvent = Exclude<OrderEvent, { type: 'OrderPlaced' }>;

/** What a confirmed order waits for; every other event belongs to a PENDING order. */
const AFTER_CONFIRMATION: ReadonlySet<OrderEvent['type']> = new Set([
  'PaymentCaptured',
  'StockCommitted',
  'PaymentCaptureFailed',
  'OrderCompleted',
  'OrderCancelled',
]);

export interface OrderState {
  id: string;
  customerId: string;
  status: OrderStatus;
  lines: OrderLine[];
  total: Money;
  paymentMethod: PaymentMethod;
  reasons: string[];
  /** Set once payments parked the authorization: until when it retries by itself. */
  paymentParkedUntil: string | null;
  /** Set once the payer of a crypto payment is asked for an on-chain transfer. */
  paymentTransferRequest: PaymentTransferRequest | null;
  /** After CONFIRMED: the capture and the stock commit acknowledged so far. */
  paymentCaptured: boolean;
  stockCommitted: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** The events that set a status. */
const STATUS_EVENTS: Partial<Record<OrderEvent['type'], OrderStatus>> = {
  OrderConfirmed: 'CONFIRMED',
  OrderRejected: 'REJECTED',
  OrderRolledBack: 'ROLLED_BACK',
  OrderCompleted: 'COMPLETED',
  OrderCancelled: 'CANCELLED',
};

/**
 * Event-sourced order: its state is the fold of its events; new events wait in `pending`
 * until the repository appends them at `version + 1, …`.
 */
export class Order {
  private readonly pending: OrderEvent[] = [];

  private constructor(private current: OrderState) {}

  static place(input: {
    id: string;
    customerId: string;
    lines: OrderLine[];
    paymentMethod: PaymentMethod;
    now: Date;
  }): Order {
    if (input.lines.length === 0) throw new EmptyOrderError();
    const currency = input.lines[0].unitPrice.currency;
    input.lines.forEach((line, index) => {
      if (line.unitPrice.currency !== currency) throw new MixedCurrencyError(index, line.unitPrice.currency, currency);
    });
    const amount = orderTotal(input.lines);
    const placed: OrderEvent = {
      type: 'OrderPlaced',
      data: { customerId: input.customerId, lines: input.lines, total: { amount, currency }, paymentMethod: input.paymentMethod },
    };
    const order = new Order(Order.initial(input.id, placed, input.now));
    order.pending.push(placed);
    return order;
  }

  static fromHistory(history: RecordedOrderEvent[]): Order {
    const [first, ...rest] = history;
    if (!first || first.event.type !== 'OrderPlaced') throw new Error('an order history starts with OrderPlaced');
    let state = Order.initial(first.orderId, first.event, first.occurredAt);
    for (const recorded of rest) state = Order.apply(state, recorded.event, recorded.occurredAt, recorded.version);
    return new Order(state);
  }

  get state(): Readonly<OrderState> {
    return this.current;
  }

  /** Decided by the saga: no longer PENDING. */
  get isDecided(): boolean {
    return this.current.status !== 'PENDING';
  }

  get isFinal(): boolean {
    return FINAL_STATUSES.includes(this.current.status);
  }

  /** Events recorded since loading, in order, with the version each will get. */
  get uncommitted(): readonly OrderEvent[] {
    return this.pending;
  }

  /** Version the store held when this order was loaded (0 for a new order). */
  get loadedVersion(): number {
    return this.current.version - this.pending.length;
  }

  /** A PENDING order takes the saga's replies and its decision; a CONFIRMED one what completes or cancels it. */
  record(event: RecordableEvent, now: Date): void {
    const expected: OrderStatus = AFTER_CONFIRMATION.has(event.type) ? 'CONFIRMED' : 'PENDING';
    if (this.current.status !== expected) throw new OrderNotExpectingError(this.current.id, this.current.status, event.type);
    this.current = Order.apply(this.current, event, now, this.current.version + 1);
    this.pending.push(event);
  }

  /**
   * Records an acknowledged capture or stock commit of a confirmed order, once each; with both in,
   * the order is COMPLETED. True when this completed it.
   */
  acknowledge(step: 'PaymentCaptured' | 'StockCommitted', now: Date): boolean {
    const done = step === 'PaymentCaptured' ? this.current.paymentCaptured : this.current.stockCommitted;
    if (done) return false;
    this.record({ type: step, data: {} }, now);
    if (!this.current.paymentCaptured || !this.current.stockCommitted) return false;
    this.record({ type: 'OrderCompleted', data: {} }, now);
    return true;
  }

  /** A confirmed order whose payment cannot be captured is CANCELLED: nothing was charged. */
  cancelForFailedCapture(reason: string, now: Date): void {
    this.record({ type: 'PaymentCaptureFailed', data: { reason } }, now);
    this.record({ type: 'OrderCancelled', data: { reasons: [`payment: ${reason}`] } }, now);
  }

  private static initial(id: string, placed: OrderEvent, at: Date): OrderState {
    if (placed.type !== 'OrderPlaced') throw new Error('expected OrderPlaced');
    return {
      id,
      customerId: placed.data.customerId,
      status: 'PENDING',
      lines: placed.data.lines,
      total: placed.data.total,
      paymentMethod: placed.data.paymentMethod,
      reasons: [],
      paymentParkedUntil: null,
      paymentTransferRequest: null,
      paymentCaptured: false,
      stockCommitted: false,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  }

  private static apply(state: OrderState, event: OrderEvent, at: Date, version: number): OrderState {
    const next = { ...state, updatedAt: at, version };
    const status = STATUS_EVENTS[event.type];
    if (status) next.status = status;
    switch (event.type) {
      case 'OrderRejected':
      case 'OrderRolledBack':
      case 'OrderCancelled':
        next.reasons = event.data.reasons;
        break;
      case 'PaymentParked':
        next.paymentParkedUntil = event.data.parkedUntil;
        break;
      case 'PaymentTransferRequested':
        next.paymentTransferRequest = { ...event.data };
        break;
      case 'PaymentCaptured':
        next.paymentCaptured = true;
        break;
      case 'StockCommitted':
        next.stockCommitted = true;
        break;
    }
    return next;
  }
}
