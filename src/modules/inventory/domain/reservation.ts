import { InvalidReservationError } from './inventory.errors';

export type ReservationStatus = 'RESERVED' | 'COMMITTED' | 'RELEASED' | 'REJECTED';

export type RejectionReason = 'INSUFFICIENT_STOCK' | 'UNKNOWN_PRODUCT' | 'RESERVATION_RELEASED';

export interface ReservationLine {
  productId: string;
  quantity: number;
}

/** Why stock could not be reserved, as stored with a rejected reservation. */
export type StockShortage = Exclude<RejectionReason, 'RESERVATION_RELEASED'>;

/** What inventory holds for one order; there is at most one per order, whatever its fate. */
export type Reservation =
  | { orderId: string; status: Exclude<ReservationStatus, 'REJECTED'>; lines: ReservationLine[] }
  | {
      orderId: string;
      status: 'REJECTED';
      lines: ReservationLine[];
      reason: StockShortage;
      rejectedProductIds: string[];
    };

export type ReservationPlan =
  | { outcome: 'RESERVE' }
  | { outcome: 'REJECT'; reason: StockShortage; productIds: string[] };

/** The answer an order gets to "reserve my stock", the first time and every time after. */
export type ReservationReply =
  | { status: 'RESERVED' }
  | { status: 'REJECTED'; reason: RejectionReason; productIds: string[] };

/**
 * One line per product, quantities of repeated products summed, ordered by product id (the
 * order in which stock rows are locked, so concurrent reservations cannot deadlock).
 */
export function mergeLines(orderId: string, lines: readonly ReservationLine[]): ReservationLine[] {
  if (lines.length === 0) throw new InvalidReservationError(orderId, 'it has no lines');
  const quantities = new Map<string, number>();
  for (const { productId, quantity } of lines) {
    if (!Number.isSafeInteger(quantity) || quantity <= 0) {
      throw new InvalidReservationError(orderId, `quantity ${quantity} of product ${productId} is not a positive integer`);
    }
    const key = productId.toLowerCase();
    quantities.set(key, (quantities.get(key) ?? 0) + quantity);
  }
  return [...quantities]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/**
 * All or nothing: reserve when every line fits in the available stock, otherwise reject and
 * name every line that does not fit. A product without stock makes the reason UNKNOWN_PRODUCT.
 */
export function planReservation(
  lines: readonly ReservationLine[],
  available: ReadonlyMap<string, number>,
): ReservationPlan {
  const unknown = lines.filter((line) => !available.has(line.productId));
  const failing = lines.filter((line) => (available.get(line.productId) ?? 0) < line.quantity);
  if (failing.length === 0) return { outcome: 'RESERVE' };
  return {
    outcome: 'REJECT',
    reason: unknown.length > 0 ? 'UNKNOWN_PRODUCT' : 'INSUFFICIENT_STOCK',
    productIds: failing.map((line) => line.productId),
  };
}

export function reservationFromPlan(orderId: string, lines: ReservationLine[], plan: ReservationPlan): Reservation {
  return plan.outcome === 'RESERVE'
    ? { orderId, status: 'RESERVED', lines }
    : { orderId, status: 'REJECTED', lines, reason: plan.reason, rejectedProductIds: plan.productIds };
}

/** A release that arrived before the reservation: it holds nothing and blocks a late reservation. */
export function releasedTombstone(orderId: string): Reservation {
  return { orderId, status: 'RELEASED', lines: [] };
}

export function replyTo(reservation: Reservation): ReservationReply {
  switch (reservation.status) {
    case 'RESERVED':
    case 'COMMITTED':
      return { status: 'RESERVED' };
    case 'RELEASED':
      return { status: 'REJECTED', reason: 'RESERVATION_RELEASED', productIds: [] };
    case 'REJECTED':
      return { status: 'REJECTED', reason: reservation.reason, productIds: reservation.rejectedProductIds };
  }
}

export type CommitDecision =
  | { action: 'COMMIT'; lines: ReservationLine[] }
  | { action: 'ALREADY_COMMITTED' }
  | { action: 'NOT_COMMITTABLE' };

/** Only held stock can ship; committing twice repeats the answer, not the effect. */
export function decideCommit(reservation: Reservation | undefined): CommitDecision {
  if (reservation?.status === 'RESERVED') return { action: 'COMMIT', lines: reservation.lines };
  if (reservation?.status === 'COMMITTED') return { action: 'ALREADY_COMMITTED' };
  return { action: 'NOT_COMMITTABLE' };
}

export type ReleaseDecision =
  | { action: 'RELEASE'; lines: ReservationLine[] }
  /** Committed units go back on hand: the order was cancelled before anything shipped. */
  | { action: 'RESTOCK'; lines: ReservationLine[] }
  | { action: 'TOMBSTONE' }
  | { action: 'ALREADY_RELEASED' };

/**
 * Releasing is compensation, so it is idempotent and may arrive before the reservation itself.
 * A committed reservation is released when its order is cancelled after confirmation (its payment
 * could not be captured): the units it took are returned.
 */
export function decideRelease(reservation: Reservation | undefined): ReleaseDecision {
  switch (reservation?.status) {
    case undefined:
      return { action: 'TOMBSTONE' };
    case 'RESERVED':
      return { action: 'RELEASE', lines: reservation.lines };
    case 'RELEASED':
    case 'REJECTED':
      return { action: 'ALREADY_RELEASED' };
    case 'COMMITTED':
      return { action: 'RESTOCK', lines: reservation.lines };
  }
}
