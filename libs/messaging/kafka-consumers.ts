import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { KafkaContext, ServerKafka } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContextName } from '../contracts/message';
import { backoffDelay } from '../resilience/backoff';
import { DeadLetterStore } from './dead-letter.store';
import { Envelope } from './envelope';
import { InboundDispatcher } from './inbound-dispatcher';
import { KafkaBroker } from './kafka-broker';
import { fromKafkaRecord, KafkaRecord, ReceivedKafkaRecord } from './kafka-envelope';
import { describeError, isRetryable } from './messaging.errors';
import { KafkaOptions, MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

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
  private readonly servers: ServerKafka[] = [];
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
    const consuming = this.options.hosted
      .map((context) => ({ context, topics: this.options.topology.topicsReadBy(context) }))
      .filter(({ topics }) => topics.length > 0);
    this.servers.push(...(await Promise.all(consuming.map(({ context, topics }) => this.listen(context, topics)))));
  }

  /** Stops fetching; kafkajs waits for the records being handled and commits their offsets. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.servers.map((server) => server.close()));
  }

  private async listen(context: ContextName, topics: string[]): Promise<ServerKafka> {
    const server = new ServerKafka({
      client: { clientId: `${this.kafka.clientId}-${context}`, brokers: this.kafka.brokers },
      consumer: { groupId: context, maxWaitTimeInMs: this.kafka.maxWaitTimeMs, allowAutoTopicCreation: true },
      // A group's first start reads what was sent before it existed.
      subscribe: { fromBeginning: true },
      run: { partitionsConsumedConcurrently: this.kafka.partitionsConsumedConcurrently },
      postfixId: '',
    });
    for (const topic of topics) {
      server.addHandler(topic, (_data: unknown, record: KafkaContext) => this.handle(context, record), true);
    }
    await new Promise<void>((resolve, reject) => {
      void server.listen((error?: unknown) => (error ? reject(new Error(describeError(error))) : resolve()));
    });
    this.logger.log(`${context} consumes ${topics.join(', ')}`);
    return server;
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
