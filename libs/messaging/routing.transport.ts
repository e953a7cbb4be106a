import { Inject, Injectable, Optional } from '@nestjs/common';
import { ContextName } from '../contracts/message';
import { Envelope } from './envelope';
import { InboundDispatcher } from './inbound-dispatcher';
import type { KafkaBroker } from './kafka-broker';
import { KAFKA_BROKER } from './kafka.tokens';
import { MessageDecoder } from './message-decoder';
import { MessageTransport } from './message-transport';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

/**
 * Routes by where a message's consumers run: the ones hosted in this process get it in-process
 * (the outbox row is the queue), and when any consumer is hosted elsewhere the message also goes
 * to its Kafka topic. Which process hosts what is configuration (MODULES); modules never know.
 */
@Injectable()
export class RoutingTransport implements MessageTransport {
  readonly name: string;
  private readonly hosted: ReadonlySet<ContextName>;

  constructor(
    private readonly dispatcher: InboundDispatcher,
    private readonly decoder: MessageDecoder,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Optional() @Inject(KAFKA_BROKER) private readonly kafka?: KafkaBroker,
  ) {
    this.hosted = new Set(options.hosted);
    this.name = kafka ? 'in-process + kafka' : 'in-process';
  }

  async publishBatch(envelopes: readonly Envelope[], onHandedOver?: () => void): Promise<Map<Envelope, unknown>> {
    // Local delivery also rejects unknown or malformed messages, which then dead-letter; they are
    // not sent to Kafka either, so consumers elsewhere do not dead-letter them a second time.
    const remote = envelopes.filter(
      (envelope) => this.remoteConsumersOf(envelope).length > 0 && this.decoder.problemOf(envelope) === undefined,
    );
    const sent = this.toKafka(remote);
    const handedOver = onHandedOver && (() => void sent.then(onHandedOver, onHandedOver));
    const [failed, unsent] = await Promise.all([this.dispatcher.dispatchBatch(envelopes, undefined, handedOver), sent]);
    unsent.forEach((error, envelope) => {
      if (!failed.has(envelope)) failed.set(envelope, error);
    });
    return failed;
  }

  private remoteConsumersOf(envelope: Envelope): ContextName[] {
    return this.options.topology.consumersOf(envelope.type, envelope.version).filter((context) => !this.hosted.has(context));
  }

  private async toKafka(envelopes: readonly Envelope[]): Promise<Map<Envelope, unknown>> {
    if (envelopes.length === 0) return new Map();
    if (!this.kafka) {
      return new Map(
        envelopes.map((envelope) => [
          envelope,
          new Error(`${envelope.type} is for ${this.remoteConsumersOf(envelope).join(', ')}, hosted elsewhere, but KAFKA_BROKERS is not set`),
        ]),
      );
    }
    return this.kafka.publishMany(envelopes);
  }
}
