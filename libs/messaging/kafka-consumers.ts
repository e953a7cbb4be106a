import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { KafkaOptions as NestKafkaOptions, ServerKafka } from '@nestjs/microservices';
import { Consumer, ConsumerCrashEvent, RequestEvent } from 'kafkajs';
import type { Counter } from 'prom-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContextName } from '../contracts/message';
import { failpoints } from '../failpoints';
import { backoffDelay } from '../resilience/backoff';
import { DeadLetterStore } from './dead-letter.store';
import { Envelope } from './envelope';
import { InboundDispatcher } from './inbound-dispatcher';
import { BrokerHealth, KafkaBroker, PartitionLag, requestCounter } from './kafka-broker';
import { fromKafkaRecord, KafkaRecord, ReceivedKafkaRecord } from './kafka-envelope';
import { deferredDelayMs, describeError, isDeferred, isRetryable } from './messaging.errors';
import { KafkaOptions, MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

const RESTART_BASE_MS = 1000;
const RESTART_MAX_MS = 30_000;

/** The records of one fetched batch (one partition of one topic), as Nest's parser decodes them. */
type BatchHandler = (topic: string, records: ReceivedKafkaRecord[], heartbeat: () => Promise<void>) => Promise<void>;

/**
 * A context's consumer that takes what the broker fetched a batch at a time (kafkajs `eachBatch`,
 * where Nest's server hands records over one by one) and reports crashes kafkajs will not recover
 * from itself (it restarts only after retriable errors; a protocol error during a rebalance stops
 * the consumer for good).
 */
class ContextConsumer extends ServerKafka {
  constructor(
    options: Required<NestKafkaOptions>['options'],
    private readonly topics: string[],
    private readonly onBatch: BatchHandler,
    private readonly onFatalCrash: (error: Error) => void,
    private readonly onRequest: (event: RequestEvent) => void,
  ) {
    super(options);
  }

  /** The offset of a batch is committed only once every record of it is handled or dead-lettered. */
  override async bindEvents(consumer: Consumer): Promise<void> {
    await consumer.subscribe({ ...this.options.subscribe, topics: this.topics });
    await consumer.run({
      ...this.options.run,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        // ServerKafka's constructor always sets its parser.
        const parser = this.parser!;
        const records = batch.messages.map((message) =>
          parser.parse<ReceivedKafkaRecord>(Object.assign(message, { topic: batch.topic, partition: batch.partition })),
        );
        await this.onBatch(batch.topic, records, () => payload.heartbeat());
        const last = batch.messages.at(-1);
        if (last) payload.resolveOffset(last.offset);
        await payload.heartbeat();
      },
    });
  }

  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    this.consumer?.on(this.consumer.events.CRASH, ({ payload }: ConsumerCrashEvent) => {
      if (!payload.restart) this.onFatalCrash(payload.error);
    });
    this.consumer?.on(this.consumer.events.REQUEST, this.onRequest);
  }
}

/**
 * One consumer group per hosted context (group id = context name, so replicas of a context
 * share partitions), reading the topics of the messages the context handles. A fetched batch is
 * handled like an outbox batch (one transaction per batch, see InboundDispatcher) before kafkajs
 * may commit its offset, and the handlers' effects and inbox rows commit first: at-least-once
 * delivery, exactly-once effect. Records that fail are retried with backoff in place (the batch's
 * offset waits for them), then dead-lettered to `<context>.dlq` and the dead-letter table, and
 * the consumer moves on.
 */
@Injectable()
export class KafkaConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(KafkaConsumers.name);
  private readonly servers = new Map<ContextName, ServerKafka>();
  /** Contexts whose consumer crashed and waits to be started again, with the restarts so far. */
  private readonly crashed = new Map<ContextName, number>();
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private readonly kafka: KafkaOptions;
  private stopping = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dispatcher: InboundDispatcher,
    private readonly broker: KafkaBroker,
    private readonly deadLetters: DeadLetterStore,
    /** `kafka_messages_consumed_total{topic,group}`: records handled or dead-lettered, so their offset may be committed. */
    private readonly consumed?: Counter<'topic' | 'group'>,
    /** `kafka_requests_total{client,api}`, the client being the consumer group. */
    private readonly requests?: Counter<'client' | 'api'>,
  ) {
    if (!options.kafka) throw new Error('KafkaConsumers needs Kafka options');
    this.kafka = options.kafka;
  }

  /** Joining a group takes a rebalance round; the hosted contexts' groups join side by side. */
  async onApplicationBootstrap(): Promise<void> {
    const consuming = this.options.hosted.filter((context) => this.options.topology.topicsReadBy(context).length > 0);
    await Promise.all(consuming.map((context) => this.listen(context)));
  }

  /** Stops fetching; kafkajs waits for the records being handled and commits their offsets. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.restartTimers.forEach(clearTimeout);
    await Promise.all([...this.servers.values()].map((server) => server.close()));
  }

  /** The brokers' answer, and down while a hosted context's consumer is being restarted. */
  async health(): Promise<BrokerHealth> {
    const broker = await this.broker.health();
    const stalled = [...this.crashed.keys()];
    return stalled.length === 0 ? broker : { ...broker, status: 'down', stalledConsumers: stalled };
  }

  /** The lag of each hosted context's group on every partition of the topics it reads. */
  lag(): Promise<PartitionLag[]> {
    return this.broker.consumerLag(
      this.options.hosted
        .map((context) => ({ group: context, topics: this.options.topology.topicsReadBy(context) }))
        .filter(({ topics }) => topics.length > 0),
    );
  }

  private async listen(context: ContextName): Promise<void> {
    const topics = this.options.topology.topicsReadBy(context);
    const server = new ContextConsumer(
      {
      client: { clientId: `${this.kafka.clientId}-${context}`, brokers: this.kafka.brokers },
      consumer: {
        groupId: context,
        maxWaitTimeInMs: this.kafka.maxWaitTimeMs,
        sessionTimeout: this.kafka.sessionTimeoutMs,
        allowAutoTopicCreation: true,
      },
      // A group's first start reads what was sent before it existed.
      subscribe: { fromBeginning: true },
      run: { partitionsConsumedConcurrently: this.kafka.partitionsConsumedConcurrently },
        postfixId: '',
      },
      topics,
      (topic, records, heartbeat) => this.handleBatch(context, topic, records, heartbeat),
      (error) => this.restartLater(context, error),
      requestCounter(this.requests, context),
    );
    this.servers.set(context, server);
    await new Promise<void>((resolve, reject) => {
      void server.listen((error?: unknown) => (error ? reject(new Error(describeError(error))) : resolve()));
    });
    this.logger.log(`${context} consumes ${topics.join(', ')}`);
  }

  private restartLater(context: ContextName, error: Error): void {
    if (this.stopping) return;
    const restarts = this.crashed.get(context) ?? 0;
    this.crashed.set(context, restarts + 1);
    const delay = backoffDelay(restarts + 1, { baseMs: RESTART_BASE_MS, maxMs: RESTART_MAX_MS });
    this.logger.error(`${context}: the consumer stopped (${describeError(error)}); starting it again in ${delay} ms`);
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      void this.restart(context);
    }, delay);
    this.restartTimers.add(timer);
  }

  private async restart(context: ContextName): Promise<void> {
    if (this.stopping) return;
    try {
      await this.servers.get(context)?.close();
      await this.listen(context);
      this.crashed.delete(context);
    } catch (error) {
      this.restartLater(context, error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async handleBatch(
    context: ContextName,
    topic: string,
    records: ReceivedKafkaRecord[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    let pending: { record: ReceivedKafkaRecord; envelope: Envelope }[] = [];
    for (const record of records) {
      try {
        pending.push({ record, envelope: fromKafkaRecord(record) });
      } catch (error) {
        await this.deadLetter(context, topic, record, undefined, error, 1);
      }
    }
    // Failed deliveries per record; one that failed only because a dependency is down is not counted.
    const attempts = new Map<Envelope, number>();
    for (let round = 1; pending.length > 0; round++) {
      const failed = await this.dispatcher.dispatchBatch(
        pending.map((p) => p.envelope),
        context,
      );
      const failing = pending.filter((p) => failed.has(p.envelope)).map((p) => ({ ...p, error: failed.get(p.envelope) }));
      // Leave the offset uncommitted: the next owner of the partition gets the records again.
      if (failing.length > 0 && this.stopping) throw failing[0].error;
      pending = [];
      for (const { record, envelope, error } of failing) {
        const attempt = (attempts.get(envelope) ?? 0) + (isDeferred(error) ? 0 : 1);
        attempts.set(envelope, attempt);
        if (!isRetryable(error) || attempt >= this.options.maxAttempts) {
          await this.deadLetter(context, topic, record, envelope, error, attempt);
        } else {
          pending.push({ record, envelope });
        }
      }
      if (pending.length === 0) {
        this.consumed?.inc({ topic, group: context }, records.length);
        if (failpoints.armed) await failpoints.reach('before-offset-commit');
        return;
      }
      const onlyDeferred = failing.every(({ error }) => isDeferred(error));
      const bounds = { minMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs };
      const delay = onlyDeferred
        ? Math.max(...failing.map(({ error }) => deferredDelayMs(error, bounds)))
        : backoffDelay(round, { baseMs: bounds.minMs, maxMs: bounds.maxMs });
      this.logger.warn(`${context}: retrying ${pending.length} records of ${topic} in ${delay} ms: ${describeError(failing[0].error)}`);
      await sleep(delay);
      await heartbeat();
    }
  }

  private async deadLetter(
    context: ContextName,
    topic: string,
    record: ReceivedKafkaRecord,
    envelope: Envelope | undefined,
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const source = `kafka:${topic}`;
    this.logger.error(`${context}: dead-lettering a record of ${source} after ${attempts} attempts: ${describeError(error)}`);
    await this.broker.publishDeadLetter(context, deadLetterRecord(record, context, error));
    await this.deadLetters.fromConsumer({ context, source, record, envelope, error, attempts });
  }
}

/** The record as received, with why it failed: enough for a person or a tool to replay it. */
function deadLetterRecord(record: ReceivedKafkaRecord, context: ContextName, error: unknown): KafkaRecord {
  const headers = Object.fromEntries(
    Object.entries(record.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
  return {
    key: typeof record.key === 'string' ? record.key : '',
    value: typeof record.value === 'string' ? record.value : JSON.stringify(record.value),
    headers: { ...headers, 'dead-letter-consumer': context, 'dead-letter-error': describeError(error) },
  };
}
