import type { OrderEvent } from './order';

/** One participant's part as the events show it: still awaited, or answered (when, and how). */
export interface Step {
  label: string;
  state: 'waiting' | 'done' | 'failed' | 'not-needed';
  summary: string;
  at?: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const reasons = (event: OrderEvent): string => (Array.isArray(event.data.reasons) ? event.data.reasons.map(text).join('; ') : '');

function find(events: readonly OrderEvent[], ...types: string[]): OrderEvent | undefined {
  return events.findLast((event) => types.includes(event.type));
}

function inventoryReply(events: readonly OrderEvent[]): Step {
  const reply = find(events, 'StockReserved', 'StockReservationRejected');
  const label = "Inventory's reply";
  if (!reply) return { label, state: 'waiting', summary: 'Awaiting the reservation' };
  if (reply.type === 'StockReserved') return { label, state: 'done', summary: 'Stock reserved', at: reply.occurredAt };
  return { label, state: 'failed', summary: `Reservation rejected: ${text(reply.data.reason)}`, at: reply.occurredAt };
}

function paymentReply(events: readonly OrderEvent[]): Step {
  const reply = find(events, 'PaymentAuthorized', 'PaymentDeclined', 'PaymentParked');
  const label = "Payments' reply";
  if (!reply) return { label, state: 'waiting', summary: 'Awaiting the authorization' };
  switch (reply.type) {
    case 'PaymentAuthorized':
      return { label, state: 'done', summary: `Authorized (payment ${text(reply.data.paymentId)})`, at: reply.occurredAt };
    case 'PaymentDeclined':
      return { label, state: 'failed', summary: `Declined: ${text(reply.data.reason)}`, at: reply.occurredAt };
    default:
      // The deadline the event states: payments retries until then, and the saga waits for it.
      return {
        label,
        state: 'waiting',
        summary: `Parked while the provider is unavailable, until ${new Date(text(reply.data.parkedUntil)).toLocaleString()}`,
        at: reply.occurredAt,
      };
  }
}

function decision(events: readonly OrderEvent[]): Step {
  const decided = find(events, 'OrderConfirmed', 'OrderRejected', 'OrderRolledBack');
  const label = 'Decision';
  if (!decided) return { label, state: 'waiting', summary: 'Pending: both replies are needed, or the deadline' };
  if (decided.type === 'OrderConfirmed') return { label, state: 'done', summary: 'Confirmed', at: decided.occurredAt };
  const outcome = decided.type === 'OrderRejected' ? 'Rejected' : 'Rolled back';
  return { label, state: 'failed', summary: `${outcome}: ${reasons(decided)}`, at: decided.occurredAt };
}

/** After a confirmation: the stock commit and the capture, then completion or cancellation. */
function fulfilment(events: readonly OrderEvent[], confirmed: boolean): Step[] {
  const notNeeded = (label: string): Step => ({ label, state: 'not-needed', summary: 'Only after a confirmation' });
  if (!confirmed) return [notNeeded('Stock commit'), notNeeded('Capture')];
  const committed = find(events, 'StockCommitted');
  const capture = find(events, 'PaymentCaptured', 'PaymentCaptureFailed');
  const cancelled = find(events, 'OrderCancelled');
  return [
    committed
      ? { label: 'Stock commit', state: 'done', summary: 'Reserved stock shipped', at: committed.occurredAt }
      : { label: 'Stock commit', state: cancelled ? 'not-needed' : 'waiting', summary: cancelled ? 'Released instead' : 'Awaiting inventory' },
    !capture
      ? { label: 'Capture', state: 'waiting', summary: 'Awaiting payments' }
      : capture.type === 'PaymentCaptured'
        ? { label: 'Capture', state: 'done', summary: 'Payment captured', at: capture.occurredAt }
        : { label: 'Capture', state: 'failed', summary: `Capture failed: ${text(capture.data.reason)}`, at: capture.occurredAt },
  ];
}

/** The saga's state as the order's events tell it, step by step. */
export function sagaSteps(events: readonly OrderEvent[]): Step[] {
  const decided = decision(events);
  const steps = [inventoryReply(events), paymentReply(events), decided, ...fulfilment(events, find(events, 'OrderConfirmed') !== undefined)];
  const closed = find(events, 'OrderCompleted', 'OrderCancelled');
  if (closed) {
    steps.push(
      closed.type === 'OrderCompleted'
        ? { label: 'Outcome', state: 'done', summary: 'Completed: paid and shipped', at: closed.occurredAt }
        : { label: 'Outcome', state: 'failed', summary: `Cancelled: ${reasons(closed)}`, at: closed.occurredAt },
    );
  }
  return steps;
}

const LABELS: Record<string, string> = {
  OrderPlaced: 'Order placed',
  StockReserved: 'Stock reserved',
  StockReservationRejected: 'Stock reservation rejected',
  PaymentAuthorized: 'Payment authorized',
  PaymentDeclined: 'Payment declined',
  PaymentParked: 'Payment parked',
  OrderConfirmed: 'Order confirmed',
  OrderRejected: 'Order rejected',
  OrderRolledBack: 'Order rolled back',
  StockCommitted: 'Stock committed',
  PaymentCaptured: 'Payment captured',
  PaymentCaptureFailed: 'Payment capture failed',
  OrderCompleted: 'Order completed',
  OrderCancelled: 'Order cancelled',
};

export function eventLabel(type: string): string {
  return LABELS[type] ?? type;
}
