import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ContextName, MessageClass } from '../contracts/message';
import { contractKey, CONTRACTS } from '../contracts/registry';
import { inSpan, SpanKind, traceparentOf } from '../observability/tracing';
import { Envelope } from './envelope';
import { INBOUND_HANDLER, InboundHandlerOptions, MessageHandler } from './inbound-handler';
import { InboxStore } from './inbox.store';
import { MessageContext } from './message-context';
import { AlreadyProcessedError, ConsumerFailure, DeliveryError, PoisonMessageError } from './messaging.errors';

interface Subscription {
  context: ContextName;
  consumer: string;
  handler: MessageHandler;
}

/**
 * Hands an envelope to the local consumers of its contract, each at most once: a consumer
 * that already has the message in its inbox is skipped, and a consumer's effect and its inbox
 * row commit in one transaction (see UnitOfWork).
 */
@Injectable()
export class InboundDispatcher implements OnModuleInit {
  private readonly logger = new Logger(InboundDispatcher.name);
  private readonly subscriptions = new Map<string, Subscription[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly inbox: InboxStore,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const { metatype, instance } = wrapper as { metatype: object | null; instance: unknown };
      if (!metatype || !instance) continue;
      const options = Reflect.getMetadata(INBOUND_HANDLER, metatype) as InboundHandlerOptions | undefined;
      if (options) this.subscribe(options.consumer, options.message, instance as MessageHandler);
    }
  }

  subscribe(context: ContextName, message: MessageClass, handler: MessageHandler): void {
    const { type, version } = message.definition;
    const key = contractKey(type, version);
    const consumer = `${context}/${type}@${version}`;
    const list = this.subscriptions.get(key) ?? [];
    if (list.some((s) => s.consumer === consumer)) throw new Error(`${consumer} has two handlers`);
    list.push({ context, consumer, handler });
    this.subscriptions.set(key, list);
    this.logger.debug(`${consumer} -> ${handler.constructor.name}`);
  }

  /** To every local consumer of the message, or only to those of `context`. */
  async dispatch(envelope: Envelope, context?: ContextName): Promise<void> {
    const messageClass = this.decode(envelope);
    const failures: ConsumerFailure[] = [];
    const subscriptions = this.subscriptions.get(contractKey(envelope.type, envelope.version)) ?? [];
    for (const subscription of subscriptions.filter((s) => context === undefined || s.context === context)) {
      try {
        await this.deliver(subscription, messageClass, envelope);
      } catch (error) {
        failures.push({ consumer: subscription.consumer, error });
      }
    }
    if (failures.length > 0) throw new DeliveryError(failures);
  }

  private decode(envelope: Envelope): MessageClass {
    if (typeof envelope?.id !== 'string' || typeof envelope.payload !== 'object' || envelope.payload === null) {
      throw new PoisonMessageError('malformed envelope');
    }
    const messageClass = CONTRACTS.get(contractKey(envelope.type, envelope.version));
    if (!messageClass) throw new PoisonMessageError(`unknown message ${envelope.type}@${envelope.version}`);
    return messageClass;
  }

  private async deliver(subscription: Subscription, messageClass: MessageClass, envelope: Envelope): Promise<void> {
    const { consumer, handler } = subscription;
    if (await this.inbox.has(consumer, envelope.id)) return;
    const inbound = { consumer, messageId: envelope.id, recorded: false };
    const attributes = { 'messaging.consumer': consumer, 'messaging.message.id': envelope.id };
    await inSpan(`handle ${envelope.type}`, SpanKind.CONSUMER, envelope.traceparent, attributes, (span) => {
      const state = { correlationId: envelope.correlationId, causationId: envelope.id, traceparent: traceparentOf(span), inbound };
      return MessageContext.run(state, async () => {
        try {
          await handler.handle(new messageClass(envelope.payload), envelope);
        } catch (error) {
          if (error instanceof AlreadyProcessedError) return;
          throw error;
        }
        // A handler that wrote nothing still marks the message as handled.
        if (!inbound.recorded) await this.inbox.record(consumer, envelope.id);
      });
    });
  }
}
