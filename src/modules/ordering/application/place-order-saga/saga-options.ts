export const SAGA_OPTIONS = Symbol('SAGA_OPTIONS');

export interface SagaOptions {
  /** A reply missing after this long counts as a rejection. */
  deadlineMs: number;
  /** How often the sweeper looks for expired and stalled sagas. */
  sweepIntervalMs: number;
  /** A saga waiting this long since its requests were sent gets them sent again. */
  redriveAfterMs: number;
}
