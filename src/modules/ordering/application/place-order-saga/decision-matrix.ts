/** What a participant answered so far. */
export type ReplyStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED';

export type SagaOutcome = 'CONFIRMED' | 'REJECTED' | 'ROLLED_BACK';

export type InventoryAction = 'COMMIT' | 'RELEASE' | 'NONE';
export type PaymentAction = 'CAPTURE' | 'VOID' | 'NONE';

export type SagaDecision =
  | { outcome: 'WAIT' }
  | { outcome: SagaOutcome; inventory: InventoryAction; payment: PaymentAction };

/**
 * The order saga's decision matrix (DESIGN §4): both accept → CONFIRMED; both reject →
 * REJECTED; mixed → ROLLED_BACK with the accepted side compensated. Once the deadline has
 * passed a missing reply counts as a rejection, and that side is still sent its compensation:
 * a release/void that arrives before the late request blocks it (both are idempotent).
 */
export function decide(inventory: ReplyStatus, payment: ReplyStatus, deadlinePassed: boolean): SagaDecision {
  if (!deadlinePassed && (inventory === 'PENDING' || payment === 'PENDING')) return { outcome: 'WAIT' };
  const stockHeld = inventory === 'ACCEPTED';
  const paymentHeld = payment === 'ACCEPTED';
  if (stockHeld && paymentHeld) return { outcome: 'CONFIRMED', inventory: 'COMMIT', payment: 'CAPTURE' };
  return {
    outcome: stockHeld || paymentHeld ? 'ROLLED_BACK' : 'REJECTED',
    inventory: inventory === 'REJECTED' ? 'NONE' : 'RELEASE',
    payment: payment === 'REJECTED' ? 'NONE' : 'VOID',
  };
}
