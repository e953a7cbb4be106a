/**
 * The transaction boundaries of the order path, where a crash tests that what committed is
 * enough to finish every order.
 */
export const ORDER_PATH_FAILPOINTS = [
  /** ordering: the placement transaction committed, the HTTP answers are not sent yet. */
  'after-placement-commit',
  /** inventory: the reservation transaction committed. */
  'after-reserve-commit',
  /** payments: the authorization requests are recorded, the provider is not asked yet. */
  'before-authorize-call',
  /** payments: the provider's answers are recorded. */
  'after-authorize-commit',
  /** ordering: the transaction recording participant replies committed. */
  'after-reply-commit',
  /** ordering: a transaction that decided at least one order committed. */
  'after-decision-commit',
  /** inventory: the transaction shipping reserved stock committed. */
  'after-stock-commit',
  /** payments: the capture transaction committed. */
  'after-capture-commit',
  /** outbox relay: rows are claimed, or taken over from their writer (leased), not handed to the transport yet. */
  'after-outbox-claim',
  /** outbox relay: the transport took the rows, they are not marked published yet. */
  'after-outbox-publish',
  /** outbox relay: the rows are marked published. */
  'after-outbox-mark',
  /** Kafka consumer (split topology only): a batch's effects committed, its offset not committed yet. */
  'before-offset-commit',
] as const;

/** The steps of minting an order's receipt, where a crash tests that the receipt is minted once. */
export const RECEIPT_FAILPOINTS = [
  /** receipts: the signed mint transaction is recorded, not broadcast yet. */
  'after-mint-recorded',
  /** receipts: the mint transaction is broadcast, its receipt not recorded yet. */
  'after-mint-broadcast',
] as const;

/**
 * Every failpoint placed in the code. A call site names one of these, so a misspelt name does not
 * compile, and FAILPOINTS names only these.
 */
export const FAILPOINT_NAMES = [...ORDER_PATH_FAILPOINTS, ...RECEIPT_FAILPOINTS] as const;

export type FailpointName = (typeof FAILPOINT_NAMES)[number];
