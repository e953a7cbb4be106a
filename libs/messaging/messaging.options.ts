export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  transport: 'in-process';
  /** Safety-net poll of the outbox, for rows a crash or a failure left behind. */
  pollIntervalMs: number;
  /** How long a claimed outbox row stays invisible to other relays before it is retried. */
  leaseMs: number;
  /** Deliveries of one message before it is dead-lettered. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Outbox rows delivered concurrently by one relay. */
  maxInFlight: number;
  /** How long shutdown waits for in-flight deliveries. */
  drainTimeoutMs: number;
  /**
   * How long delivered outbox rows and inbox entries are kept. The inbox only dedupes
   * redeliveries within this window, so it must outlast any redelivery (leases, replays).
   */
  retentionMs: number;
}
