import { ContextName } from '../contracts/message';
import { MessageTopology } from './message-topology';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  /** For topics created at start-up when the broker allows topic administration. */
  topicPartitions: number;
  replicationFactor: number;
  /** Longest a consumer fetch waits for data; low values cut latency at the cost of requests. */
  maxWaitTimeMs: number;
  /** Partitions one consumer handles at the same time (order is kept within a partition). */
  partitionsConsumedConcurrently: number;
  /** How long the group waits for a silent member (e.g. a killed process) before handing its partitions on. */
  sessionTimeoutMs: number;
}

export interface MessagingOptions {
  /** Contexts hosted by this process. */
  hosted: readonly ContextName[];
  /** Which context consumes which message, across every context, hosted or not. */
  topology: MessageTopology;
  /** Messages to contexts hosted elsewhere travel over Kafka; without it every context must be hosted. */
  kafka?: KafkaOptions;
  /** Safety-net poll of the outbox, for rows a crash or a failure left behind. */
  pollIntervalMs: number;
  /** How long a claimed outbox row stays invisible to other relays before it is retried. */
  leaseMs: number;
  /** Deliveries of one message before it is dead-lettered. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Outbox rows one relay claims and hands to the transport together. */
  batchSize: number;
  /** Outbox rows delivered concurrently by one relay (so up to maxInFlight / batchSize batches). */
  maxInFlight: number;
  /**
   * How long a claim waits for the relay's latest delivery to be handed over (see
   * MessageTransport), so that rows committed meanwhile are claimed together (0: every commit
   * claims at once).
   */
  claimWaitMs: number;
  /** How long shutdown waits for in-flight deliveries. */
  drainTimeoutMs: number;
  /**
   * How long delivered outbox rows and inbox entries are kept. The inbox only dedupes
   * redeliveries within this window, so it must outlast any redelivery (leases, replays).
   */
  retentionMs: number;
}
