import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CONTEXT_NAMES } from '../contracts/message';
import { CONTRACTS } from '../contracts/registry';
import { getToken, makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { DataSource } from 'typeorm';
import { makeScrapedGaugeProvider } from '../observability/scraped-gauge';
import { DeadLetterStore } from './dead-letter.store';
import { DeadLettersController } from './dead-letters.controller';
import { InboundDispatcher } from './inbound-dispatcher';
import { INBOX_DUPLICATES_SKIPPED, InboxStore } from './inbox.store';
import { KAFKA_BROKER, KAFKA_CONSUMERS } from './kafka.tokens';
import { MessageDecoder } from './message-decoder';
import { outboxUndeliveredCount } from './outbox-backlog';
import { MESSAGE_TRANSPORT } from './message-transport';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { OutboxImport } from './outbox-import';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';
import { RoutingTransport } from './routing.transport';
import { UnitOfWork } from './unit-of-work';

const metrics = [
  makeHistogramProvider({
    name: 'outbox_lag_seconds',
    help: 'Time from a message being committed to the outbox until its transport took it',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeScrapedGaugeProvider({
    name: 'outbox_pending_messages',
    help: 'Outbox rows not yet delivered',
    labelNames: [],
    inject: [DataSource],
    read: async (dataSource: DataSource) => [[{}, await outboxUndeliveredCount(dataSource)] as const],
  }),
  makeCounterProvider({
    name: INBOX_DUPLICATES_SKIPPED,
    help: 'Deliveries of messages their consumer had handled already (found in its inbox), skipped',
    labelNames: ['consumer'],
  }),
  makeScrapedGaugeProvider({
    name: 'dead_letters',
    help: 'Dead letters stored and not replayed, by the context whose consumer gave up on them',
    labelNames: ['context'],
    inject: [DeadLetterStore],
    read: async (deadLetters: DeadLetterStore) => {
      const stored = await deadLetters.countsByContext();
      return CONTEXT_NAMES.map((context) => [{ context }, stored.get(context) ?? 0] as const);
    },
  }),
  makeCounterProvider({
    name: 'messages_dead_lettered_total',
    help: 'Messages moved to the dead-letter table',
    labelNames: ['type'],
  }),
];

/**
 * The producer and the hosted contexts' consumer groups. Nest's microservices package and kafkajs
 * are loaded only here, so a process without KAFKA_BROKERS starts without them.
 */
const KAFKA_PRODUCED = 'kafka_messages_produced_total';
const KAFKA_CONSUMED = 'kafka_messages_consumed_total';
const KAFKA_REQUESTS = 'kafka_requests_total';

const kafkaProviders: Provider[] = [
  makeCounterProvider({ name: KAFKA_PRODUCED, help: 'Records the Kafka broker acknowledged, by topic', labelNames: ['topic'] }),
  makeCounterProvider({
    name: KAFKA_CONSUMED,
    help: 'Records consumed (handled or dead-lettered, so their offset may be committed), by topic and consumer group',
    labelNames: ['topic', 'group'],
  }),
  makeCounterProvider({
    name: KAFKA_REQUESTS,
    help: 'Requests sent to the Kafka brokers, by client (producer, admin or a consumer group) and Kafka API (Produce, Fetch, OffsetCommit, ...)',
    labelNames: ['client', 'api'],
  }),
  {
    provide: KAFKA_BROKER,
    useFactory: async (...deps: ConstructorParameters<typeof import('./kafka-broker').KafkaBroker>) =>
      new (await import('./kafka-broker')).KafkaBroker(...deps),
    inject: [MESSAGING_OPTIONS, getToken(KAFKA_PRODUCED), getToken(KAFKA_REQUESTS)],
  },
  {
    provide: KAFKA_CONSUMERS,
    useFactory: async (...deps: ConstructorParameters<typeof import('./kafka-consumers').KafkaConsumers>) =>
      new (await import('./kafka-consumers')).KafkaConsumers(...deps),
    inject: [MESSAGING_OPTIONS, InboundDispatcher, KAFKA_BROKER, DeadLetterStore, getToken(KAFKA_CONSUMED), getToken(KAFKA_REQUESTS)],
  },
  makeScrapedGaugeProvider({
    name: 'kafka_consumer_lag',
    help: "Records a hosted context's consumer group has yet to consume, by topic and partition (broker offsets)",
    labelNames: ['topic', 'partition', 'group'],
    inject: [KAFKA_CONSUMERS],
    read: async (consumers: import('./kafka-consumers').KafkaConsumers) =>
      (await consumers.lag()).map(({ group, topic, partition, lag }) => [{ group, topic, partition: String(partition) }, lag] as const),
  }),
];

/** Outbox, relay, inbox and transport; contexts use `UnitOfWork` and declare `consumes(...)` routes. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      controllers: [DeadLettersController],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: MESSAGE_TRANSPORT, useExisting: RoutingTransport },
        RoutingTransport,
        ...(options.kafka ? kafkaProviders : []),
        InboundDispatcher,
        { provide: MessageDecoder, useFactory: () => new MessageDecoder(CONTRACTS) },
        InboxStore,
        OutboxRelay,
        OutboxWriter,
        OutboxImport,
        DeadLetterStore,
        UnitOfWork,
        ...metrics,
      ],
      exports: [UnitOfWork, OutboxImport, DeadLetterStore, ...(options.kafka ? [KAFKA_CONSUMERS] : [])],
    };
  }
}
