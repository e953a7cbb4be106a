import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { Admin, Kafka, logLevel, Partitioners, RequestEvent } from 'kafkajs';
import type { Counter } from 'prom-client';
import { lastValueFrom } from 'rxjs';
import { CONTEXT_NAMES, ContextName } from '../contracts/message';
import { Envelope } from './envelope';
import { KafkaRecord, toKafkaRecord } from './kafka-envelope';
import { deadLetterTopicOf, topicOf } from './message-topology';
import { inSpan, SpanKind } from '../observability/tracing';
import { rejectAfter } from '../resilience/timeout';
import { describeError } from './messaging.errors';
import { KafkaOptions, MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

/** How long a health check or a read of consumer offsets may wait for the brokers. */
const ADMIN_TIMEOUT_MS = 2000;

/** The brokers' answer, or an error once ADMIN_TIMEOUT_MS have passed. */
function within<T>(promise: Promise<T>): Promise<T> {
  return rejectAfter(promise, ADMIN_TIMEOUT_MS, () => new Error(`no answer in ${ADMIN_TIMEOUT_MS} ms`));
}

/** How far a consumer group is behind on one partition: the log end offset minus the group's committed offset. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export interface BrokerHealth {
  status: 'up' | 'down';
  brokers: string;
  error?: string;
  /** Hosted contexts whose consumer crashed and is being started again. */
  stalledConsumers?: string[];
}

/** A listener of a kafkajs client's requests that counts them in `kafka_requests_total{client,api}`. */
export function requestCounter(requests: Counter<'client' | 'api'> | undefined, client: string): (event: RequestEvent) => void {
  return ({ payload }) => requests?.inc({ client, api: payload.apiName });
}

/**
 * The process' producer (Nest's ClientKafka over kafkajs) and an admin client for topics and
 * health. A send resolves once every in-sync replica has the record (acks = all), which is when
 * the outbox relay may mark the row published.
 */
@Injectable()
export class KafkaBroker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KafkaBroker.name);
  private readonly options: KafkaOptions;
  private readonly producer: ClientKafka;
  private readonly admin: Admin;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
    /** `kafka_messages_produced_total{topic}`: records the broker acknowledged. */
    private readonly produced?: Counter<'topic'>,
    /** `kafka_requests_total{client,api}`: what the producer and the admin client ask the brokers. */
    private readonly requests?: Counter<'client' | 'api'>,
  ) {
    if (!messaging.kafka) throw new Error('KafkaBroker needs Kafka options');
    this.options = messaging.kafka;
    this.producer = new ClientKafka({
      client: { clientId: `${this.options.clientId}-producer`, brokers: this.options.brokers },
      // Murmur2 on the key, as Java clients partition: one aggregate, one partition, everywhere.
      producer: { allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner },
      producerOnlyMode: true,
      postfixId: '',
    });
    this.admin = new Kafka({
      clientId: `${this.options.clientId}-admin`,
      brokers: this.options.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    this.admin.on(this.admin.events.REQUEST, requestCounter(requests, 'admin'));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
    const { producer } = this.producer;
    producer.on(producer.events.REQUEST, requestCounter(this.requests, 'producer'));
    await this.admin.connect();
    await this.createTopics();
  }

  /** After every other hook, so the relay's last deliveries are flushed before disconnecting. */
  async onApplicationShutdown(): Promise<void> {
    await this.producer.close();
    await this.admin.disconnect();
  }

  /** Produces the envelopes, one request per topic; resolves with the error of each envelope that failed. */
  async publishMany(envelopes: readonly Envelope[]): Promise<Map<Envelope, unknown>> {
    const byTopic = new Map<string, Envelope[]>();
    for (const envelope of envelopes) {
      const topic = topicOf(envelope);
      const list = byTopic.get(topic) ?? [];
      list.push(envelope);
      byTopic.set(topic, list);
    }
    const failed = new Map<Envelope, unknown>();
    await Promise.all(
      [...byTopic].map(async ([topic, list]) => {
        try {
          // The broker call is a child of the first record's publish span; the batch's size says how many it carried.
          await inSpan(
            `send ${topic}`,
            SpanKind.CLIENT,
            list[0].traceparent,
            { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.batch.message_count': list.length },
            () => lastValueFrom(this.producer.emitBatch(topic, { messages: list.map(toKafkaRecord) }), { defaultValue: undefined }),
          );
          this.produced?.inc({ topic }, list.length);
        } catch (error) {
          list.forEach((envelope) => failed.set(envelope, error));
        }
      }),
    );
    return failed;
  }

  publishDeadLetter(context: ContextName, record: KafkaRecord): Promise<unknown> {
    return this.send(deadLetterTopicOf(context), record);
  }

  async health(): Promise<BrokerHealth> {
    const brokers = this.options.brokers.join(',');
    try {
      await within(this.admin.describeCluster());
      return { status: 'up', brokers };
    } catch (error) {
      return { status: 'down', brokers, error: describeError(error) };
    }
  }

  /**
   * Each group's lag on each partition of its topics, read from the broker's offsets. A partition
   * the group has never committed on counts from the log's start: a group reads from the beginning.
   */
  consumerLag(groups: readonly { group: string; topics: readonly string[] }[]): Promise<PartitionLag[]> {
    return within(this.readLag(groups));
  }

  private async readLag(groups: readonly { group: string; topics: readonly string[] }[]): Promise<PartitionLag[]> {
    const topics = [...new Set(groups.flatMap(({ topics }) => topics))];
    const ends = new Map(await Promise.all(topics.map(async (topic) => [topic, await this.admin.fetchTopicOffsets(topic)] as const)));
    const lags = await Promise.all(
      groups.map(async ({ group, topics }) =>
        (await this.admin.fetchOffsets({ groupId: group, topics: [...topics] })).flatMap(({ topic, partitions }) =>
          partitions.map(({ partition, offset }) => {
            const end = ends.get(topic)?.find((p) => p.partition === partition);
            const committed = Number(offset) >= 0 ? Number(offset) : Number(end?.low ?? 0);
            return { group, topic, partition, lag: Math.max(0, Number(end?.high ?? committed) - committed) };
          }),
        ),
      ),
    );
    return lags.flat();
  }

  private async send(topic: string, record: KafkaRecord): Promise<unknown> {
    const sent: unknown = await lastValueFrom(this.producer.emit(topic, record));
    this.produced?.inc({ topic });
    return sent;
  }

  /**
   * Creates the topics with the configured partitions and replication. Brokers that refuse
   * topic administration (managed clusters, test brokers) still auto-create topics on first
   * use, with their own defaults, so start-up carries on.
   */
  private async createTopics(): Promise<void> {
    const topics = [...this.messaging.topology.allTopics(), ...CONTEXT_NAMES.map(deadLetterTopicOf)];
    try {
      await this.admin.createTopics({
        topics: topics.map((topic) => ({
          topic,
          numPartitions: this.options.topicPartitions,
          replicationFactor: this.options.replicationFactor,
        })),
      });
      this.logger.log(`topics ready: ${topics.join(', ')}`);
    } catch (error) {
      this.logger.warn(
        `the broker refused to create topics (${describeError(error)}); relying on its auto-creation of ${topics.join(', ')}`,
      );
    }
  }
}
