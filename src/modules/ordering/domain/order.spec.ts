import { Order } from './order';
import { MixedCurrencyError, OrderNotExpectingError, OrderTotalTooLargeError } from './order.errors';
import { OrderLine, RecordedOrderEvent } from './order-events';
import { MAX_ORDER_TOTAL } from './order-total';

const now = new Date('2026-01-01T00:00:00Z');
const eur = (amount: number) => ({ amount, currency: 'EUR' });

function placeWith(lines: OrderLine[]): Order {
  return Order.place({ id: 'o1', customerId: 'c1', paymentMethod: 'card', now, lines });
}

function placed(): Order {
  return placeWith([
    { productId: 'p1', quantity: 2, unitPrice: eur(1999) },
    { productId: 'p2', quantity: 1, unitPrice: eur(500) },
  ]);
}

describe(Order.name, () => {
  it('totals the lines at their catalog prices and starts PENDING', () => {
    const order = placed();
    expect(order.state).toMatchObject({ status: 'PENDING', total: eur(4498), version: 1 });
    expect(order.uncommitted.map((e) => e.type)).toEqual(['OrderPlaced']);
  });

  it('refuses lines priced in different currencies', () => {
    expect(() =>
      placeWith([
        { productId: 'p1', quantity: 1, unitPrice: eur(1) },
        { productId: 'p2', quantity: 1, unitPrice: { amount: 1, currency: 'USD' } },
      ]),
    ).toThrow(MixedCurrencyError);
  });

  it('refuses an order whose total would pass the maximum', () => {
    expect(() => placeWith([{ productId: 'p1', quantity: 1000, unitPrice: eur(MAX_ORDER_TOTAL) }])).toThrow(OrderTotalTooLargeError);
  });

  it('rebuilds the same state from its history', () => {
    const order = placed();
    order.record({ type: 'StockReserved', data: {} }, now);
    order.record({ type: 'PaymentDeclined', data: { reason: 'card_declined' } }, now);
    order.record({ type: 'OrderRolledBack', data: { reasons: ['payment: card_declined'] } }, now);
    const history: RecordedOrderEvent[] = order.uncommitted.map((event, i) => ({
      orderId: 'o1',
      version: i + 1,
      occurredAt: now,
      event,
    }));
    const replayed = Order.fromHistory(history);
    expect(replayed.state).toEqual(order.state);
    expect(replayed.state).toMatchObject({ status: 'ROLLED_BACK', reasons: ['payment: card_declined'], version: 4 });
    expect(replayed.loadedVersion).toBe(4);
  });

  it('takes no saga reply once decided, and nothing once final', () => {
    const order = placed();
    order.record({ type: 'OrderConfirmed', data: {} }, now);
    expect(() => order.record({ type: 'StockReserved', data: {} }, now)).toThrow(OrderNotExpectingError);
    order.cancelForFailedCapture('capture_declined', now);
    expect(() => order.acknowledge('StockCommitted', now)).toThrow(OrderNotExpectingError);
  });

  it('takes no capture or stock commit before it is confirmed', () => {
    expect(() => placed().acknowledge('PaymentCaptured', now)).toThrow(OrderNotExpectingError);
  });

  it('completes a confirmed order once both its capture and its stock commit are in, whichever comes first, once each', () => {
    const order = placed();
    order.record({ type: 'OrderConfirmed', data: {} }, now);
    expect(order.acknowledge('StockCommitted', now)).toBe(false);
    expect(order.acknowledge('StockCommitted', now)).toBe(false);
    expect(order.state.status).toBe('CONFIRMED');
    expect(order.acknowledge('PaymentCaptured', now)).toBe(true);
    expect(order.state).toMatchObject({ status: 'COMPLETED', paymentCaptured: true, stockCommitted: true });
    expect(order.uncommitted.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderConfirmed', 'StockCommitted', 'PaymentCaptured', 'OrderCompleted']);
    expect(order.isFinal).toBe(true);
  });

  it('cancels a confirmed order whose capture failed, with the reason, and rebuilds it so', () => {
    const order = placed();
    order.record({ type: 'OrderConfirmed', data: {} }, now);
    order.acknowledge('StockCommitted', now);
    order.cancelForFailedCapture('capture_declined', now);
    expect(order.state).toMatchObject({ status: 'CANCELLED', reasons: ['payment: capture_declined'] });
    const history: RecordedOrderEvent[] = order.uncommitted.map((event, i) => ({ orderId: 'o1', version: i + 1, occurredAt: now, event }));
    expect(Order.fromHistory(history).state).toEqual(order.state);
  });

  it('remembers until when its payment is parked', () => {
    const order = placed();
    order.record({ type: 'PaymentParked', data: { parkedUntil: '2026-01-01T00:10:00.000Z' } }, now);
    expect(order.state).toMatchObject({ status: 'PENDING', paymentParkedUntil: '2026-01-01T00:10:00.000Z' });
  });
});
