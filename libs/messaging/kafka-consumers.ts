import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { KafkaContext, KafkaOptions as NestKafkaOptions, ServerKafka } from '@nestjs/microservices';
import { ConsumerCrashEvent } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContextName } from '../contracts/message';
import { backoffDelay } from '../resilience/backoff';
import { DeadLetterStore } from './dead-letter.store';
import { Envelope } from './envelope';
import { InboundDispatcher } from './inbound-dispatcher';
import { BrokerHealth, KafkaBroker } from './kafka-broker';
import { fromKafkaRecord, KafkaRecord, ReceivedKafkaRecord } from './kafka-envelope';
import { describeError, isRetryable } from './messaging.errors';
import { KafkaOptions, MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

const RESTART_BASE_MS = 1000;
const RESTART_MAX_MS = 30_000;

/**
 * A context's consumer that reports crashes kafkajs will not recover from itself (it restarts
 * only after retriable errors; a protocol error during a rebalance stops the consumer for good).
 */
class ContextConsumer extends ServerKafka {
  constructor(
    options: Required<NestKafkaOptions>['options'],
    private readonly onFatalCrash: (error: Error) => void,
  ) {
    super(options);
  }

  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    this.consumer?.on(this.consumer.events.CRASH, ({ payload }: ConsumerCrashEvent) => {
      if (!payload.restart) this.onFatalCrash(payload.error);
    });
  }
}

/**
 * One consumer group per hosted context (group id = context name, so replicas of a context
 * share partitions), reading the topics of the messages the context handles. Each record is
 * handled before kafkajs may commit its offset, and the handler's effect and inbox row commit
 * first: at-least-once delivery, exactly-once effect. A record that fails is retried with backoff
 * in place (keeping its partition's order), then dead-lettered to `<context>.dlq` and the
 * dead-letter table, and the consumer moves on.
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

  private async listen(context: ContextName): Promise<void> {
    const topics = this.options.topology.topicsReadBy(context);
    const server = new ContextConsumer({
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
    }, (error) => this.restartLater(context, error));
    this.servers.set(context, server);
    for (const topic of topics) {
      server.addHandler(topic, (_data: unknown, record: KafkaContext) => this.handle(context, record), true);
    }
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

  private async handle(context: ContextName, kafka: KafkaContext): Promise<void> {
    const record = kafka.getMessage() as unknown as ReceivedKafkaRecord;
    let envelope: Envelope;
    try {
      envelope = fromKafkaRecord(record);
    } catch (error) {
      await this.deadLetter(context, kafka, record, undefined, error, 1);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dispatcher.dispatch(envelope, context);
        return;
      } catch (error) {
        // Leave the offset uncommitted: the next owner of the partition gets the record again.
        if (this.stopping) throw error;
        if (!isRetryable(error) || attempt >= this.options.maxAttempts) {
          await this.deadLetter(context, kafka, record, envelope, error, attempt);
          return;
        }
        const delay = backoffDelay(attempt, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs });
        this.logger.warn(`${context}: retrying ${envelope.type} ${envelope.id} in ${delay} ms: ${describeError(error)}`);
        await sleep(delay);
        await kafka.getHeartbeat()();
      }
    }
  }

  private async deadLetter(
    context: ContextName,
    kafka: KafkaContext,
    record: ReceivedKafkaRecord,
    envelope: Envelope | undefined,
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const source = `kafka:${kafka.getTopic()}`;
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
