import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CONTRACTS } from '../contracts/registry';
import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { DeadLetterStore } from './dead-letter.store';
import { DeadLettersController } from './dead-letters.controller';
import { InboundDispatcher } from './inbound-dispatcher';
import { InboxStore } from './inbox.store';
import { KAFKA_BROKER, KAFKA_CONSUMERS } from './kafka.tokens';
import { MessageDecoder } from './message-decoder';
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
  makeGaugeProvider({ name: 'outbox_pending_messages', help: 'Outbox rows not yet delivered' }),
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
const kafkaProviders: Provider[] = [
  {
    provide: KAFKA_BROKER,
    useFactory: async (options: MessagingOptions) => new (await import('./kafka-broker')).KafkaBroker(options),
    inject: [MESSAGING_OPTIONS],
  },
  {
    provide: KAFKA_CONSUMERS,
    useFactory: async (...deps: ConstructorParameters<typeof import('./kafka-consumers').KafkaConsumers>) =>
      new (await import('./kafka-consumers')).KafkaConsumers(...deps),
    inject: [MESSAGING_OPTIONS, InboundDispatcher, KAFKA_BROKER, DeadLetterStore],
  },
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
