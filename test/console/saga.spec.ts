import type { OrderEvent } from '../../console/src/orders/order';
import { sagaSteps } from '../../console/src/orders/saga';

const PLACED_AT = Date.parse('2026-01-15T09:30:00.000Z');

function events(...types: [string, Record<string, unknown>?][]): OrderEvent[] {
  return types.map(([type, data = {}], i) => ({ version: i + 1, type, occurredAt: new Date(PLACED_AT + i * 100).toISOString(), data }));
}

const summaries = (history: OrderEvent[]): Record<string, string> =>
  Object.fromEntries(sagaSteps(history).map((step) => [step.label, `${step.state}: ${step.summary}`]));

describe('the saga as the console shows it from the events', () => {
  it('waits for both replies of a new order', () => {
    expect(summaries(events(['OrderPlaced']))).toEqual({
      "Inventory's reply": 'waiting: Awaiting the reservation',
      "Payments' reply": 'waiting: Awaiting the authorization',
      Decision: 'waiting: Pending: both replies are needed, or the deadline',
      'Stock commit': 'not-needed: Only after a confirmation',
      Capture: 'not-needed: Only after a confirmation',
    });
  });

  it('follows a confirmed order to its completion', () => {
    const history = events(
      ['OrderPlaced'],
      ['StockReserved'],
      ['PaymentAuthorized', { paymentId: 'pay-1' }],
      ['OrderConfirmed'],
      ['StockCommitted'],
      ['PaymentCaptured'],
      ['OrderCompleted'],
    );
    expect(summaries(history)).toEqual({
      "Inventory's reply": 'done: Stock reserved',
      "Payments' reply": 'done: Authorized (payment pay-1)',
      Decision: 'done: Confirmed',
      'Stock commit': 'done: Reserved stock shipped',
      Capture: 'done: Payment captured',
      Outcome: 'done: Completed: paid and shipped',
    });
    expect(sagaSteps(history).find((step) => step.label === 'Capture')?.at).toBe(history[5].occurredAt);
  });

  it('shows a confirmed order waiting for its capture', () => {
    const history = events(['OrderPlaced'], ['StockReserved'], ['PaymentAuthorized', { paymentId: 'pay-1' }], ['OrderConfirmed'], ['StockCommitted']);
    expect(summaries(history).Capture).toBe('waiting: Awaiting payments');
  });

  it('shows the deadline a parked payment waits until, and the reasons of a roll-back', () => {
    const parked = events(['OrderPlaced'], ['StockReserved'], ['PaymentParked', { parkedUntil: '2026-01-15T09:40:00.000Z' }]);
    expect(summaries(parked)["Payments' reply"]).toMatch(/^waiting: Parked while the provider is unavailable, until /);
    const rolledBack = events(['OrderPlaced'], ['StockReserved'], ['OrderRolledBack', { reasons: ['payment: no reply within 30000 ms'] }]);
    expect(summaries(rolledBack).Decision).toBe('failed: Rolled back: payment: no reply within 30000 ms');
  });

  it('shows a capture refused for good and the cancellation that follows', () => {
    const history = events(
      ['OrderPlaced'],
      ['StockReserved'],
      ['PaymentAuthorized', { paymentId: 'pay-1' }],
      ['OrderConfirmed'],
      ['PaymentCaptureFailed', { reason: 'capture_declined' }],
      ['OrderCancelled', { reasons: ['payment: capture_declined'] }],
    );
    expect(summaries(history)).toMatchObject({
      'Stock commit': 'not-needed: Released instead',
      Capture: 'failed: Capture failed: capture_declined',
      Outcome: 'failed: Cancelled: payment: capture_declined',
    });
  });
});
