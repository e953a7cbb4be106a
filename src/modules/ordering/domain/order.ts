import { EmptyOrderError, MixedCurrencyError, OrderAlreadyFinalError } from './order.errors';
import { Money, OrderEvent, OrderLine, PaymentMethod, RecordedOrderEvent } from './order-events';
import { orderTotal } from './order-total';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'ROLLED_BACK';

export interface OrderState {
  id: string;
  customerId: string;
  status: OrderStatus;
  lines: OrderLine[];
  total: Money;
  paymentMethod: PaymentMethod;
  reasons: string[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const FINAL_EVENTS: Partial<Record<OrderEvent['type'], OrderStatus>> = {
  OrderConfirmed: 'CONFIRMED',
  OrderRejected: 'REJECTED',
  OrderRolledBack: 'ROLLED_BACK',
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

  get isFinal(): boolean {
    return this.current.status !== 'PENDING';
  }

  /** Events recorded since loading, in order, with the version each will get. */
  get uncommitted(): readonly OrderEvent[] {
    return this.pending;
  }

  /** Version the store held when this order was loaded (0 for a new order). */
  get loadedVersion(): number {
    return this.current.version - this.pending.length;
  }

  record(event: Exclude<OrderEvent, { type: 'OrderPlaced' }>, now: Date): void {
    if (this.isFinal) throw new OrderAlreadyFinalError(this.current.id, this.current.status);
    this.current = Order.apply(this.current, event, now, this.current.version + 1);
    this.pending.push(event);
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
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  }

  private static apply(state: OrderState, event: OrderEvent, at: Date, version: number): OrderState {
    const next = { ...state, updatedAt: at, version };
    const finalStatus = FINAL_EVENTS[event.type];
    if (finalStatus) next.status = finalStatus;
    if (event.type === 'OrderRejected' || event.type === 'OrderRolledBack') next.reasons = event.data.reasons;
    return next;
  }
}
