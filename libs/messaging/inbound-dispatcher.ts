import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { ContextName } from '../contracts/message';
import { contractKey, CONTRACTS } from '../contracts/registry';
import { inSpan, SpanKind, traceparentOf } from '../observability/tracing';
import { Envelope } from './envelope';
import { InboundRoute, InboundRoutes } from './inbound-routes';
import { InboxStore } from './inbox.store';
import { MessageContext } from './message-context';
import {
  AlreadyProcessedError,
  ConsumerFailure,
  DeliveryError,
  describeError,
  PoisonMessageError,
} from './messaging.errors';
import { Transaction, UnitOfWork } from './unit-of-work';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Subscription {
  context: ContextName;
  consumer: string;
  route: InboundRoute;
}

/** One envelope for one local consumer. */
interface Delivery {
  subscription: Subscription;
  envelope: Envelope;
}

/**
 * Hands envelopes to the local consumers of their contracts, each at most once: a consumer that
 * already has the message in its inbox is skipped, and a consumer's effect and its inbox row
 * commit in one transaction (see UnitOfWork). A batch of envelopes is handled per context in one
 * transaction; if that fails, its messages are handled one by one, so a poison message fails
 * alone and the rest still commit.
 */
@Injectable()
export class InboundDispatcher implements OnModuleInit {
  private readonly logger = new Logger(InboundDispatcher.name);
  private readonly subscriptions = new Map<string, Subscription[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly inbox: InboxStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof InboundRoutes)) continue;
      instance.routes.forEach((route) => this.subscribe(instance.context, route));
    }
  }

  subscribe(context: ContextName, route: InboundRoute): void {
    const { type, version } = route.message.definition;
    const key = contractKey(type, version);
    const consumer = `${context}/${type}@${version}`;
    const list = this.subscriptions.get(key) ?? [];
    if (list.some((s) => s.consumer === consumer)) throw new Error(`${consumer} has two routes`);
    list.push({ context, consumer, route });
    this.subscriptions.set(key, list);
  }

  /** To every local consumer of the message, or only to those of `context`. */
  async dispatch(envelope: Envelope, context?: ContextName): Promise<void> {
    const failures: ConsumerFailure[] = [];
    for (const delivery of this.deliveriesOf(envelope, context)) {
      try {
        await this.deliverAlone(delivery);
      } catch (error) {
        failures.push({ consumer: delivery.subscription.consumer, error });
      }
    }
    if (failures.length > 0) throw new DeliveryError(failures);
  }

  /**
   * Delivers envelopes (in outbox order) to every local consumer. Resolves with the error of
   * each envelope that failed; the others are handled, and safe to mark delivered.
   */
  async dispatchBatch(envelopes: readonly Envelope[]): Promise<Map<Envelope, unknown>> {
    const failed = new Map<Envelope, unknown>();
    const byContext = new Map<ContextName, Delivery[]>();
    for (const envelope of envelopes) {
      try {
        for (const delivery of this.deliveriesOf(envelope)) {
          const list = byContext.get(delivery.subscription.context) ?? [];
          list.push(delivery);
          byContext.set(delivery.subscription.context, list);
        }
      } catch (error) {
        failed.set(envelope, error);
      }
    }
    const perContext = await Promise.all([...byContext.values()].map((deliveries) => this.deliverContext(deliveries)));
    const consumerFailures = new Map<Envelope, ConsumerFailure[]>();
    for (const { delivery, error } of perContext.flat()) {
      const list = consumerFailures.get(delivery.envelope) ?? [];
      list.push({ consumer: delivery.subscription.consumer, error });
      consumerFailures.set(delivery.envelope, list);
    }
    consumerFailures.forEach((failures, envelope) => failed.set(envelope, new DeliveryError(failures)));
    return failed;
  }

  private deliveriesOf(envelope: Envelope, context?: ContextName): Delivery[] {
    if (typeof envelope?.id !== 'string' || !UUID.test(envelope.id) || typeof envelope.payload !== 'object' || envelope.payload === null) {
      throw new PoisonMessageError('malformed envelope');
    }
    const key = contractKey(envelope.type, envelope.version);
    if (!CONTRACTS.has(key)) throw new PoisonMessageError(`unknown message ${envelope.type}@${envelope.version}`);
    return (this.subscriptions.get(key) ?? [])
      .filter((subscription) => context === undefined || subscription.context === context)
      .map((subscription) => ({ subscription, envelope }));
  }

  /**
   * One context's share of a batch: the batched routes' messages in one transaction, the others
   * (which call remote systems between commits) side by side, each on its own.
   */
  private async deliverContext(deliveries: Delivery[]): Promise<{ delivery: Delivery; error: unknown }[]> {
    const alone = deliveries.filter((d) => !d.subscription.route.batched);
    const results = await Promise.all([
      this.deliverTogether(deliveries.filter((d) => d.subscription.route.batched)),
      ...alone.map((delivery) =>
        this.deliverAlone(delivery).then(
          () => [],
          (error: unknown) => [{ delivery, error }],
        ),
      ),
    ]);
    return results.flat();
  }

  private async deliverTogether(deliveries: Delivery[]): Promise<{ delivery: Delivery; error: unknown }[]> {
    if (deliveries.length > 1) {
      // Aggregate order (stable, so one aggregate's messages keep theirs): concurrent batches
      // then lock the aggregates' rows in the same order instead of deadlocking.
      const ordered = [...deliveries].sort((a, b) => compare(a.envelope.aggregateId, b.envelope.aggregateId));
      try {
        await this.unitOfWork.runBatch(
          ordered.map((delivery) => ({
            consumer: delivery.subscription.consumer,
            messageId: delivery.envelope.id,
            handle: (batch: Transaction) => this.handle(delivery, batch),
          })),
        );
        return [];
      } catch (error) {
        this.logger.warn(`a batch of ${deliveries.length} messages failed (${describeError(error)}); handling them one by one`);
      }
    }
    const failures: { delivery: Delivery; error: unknown }[] = [];
    for (const delivery of deliveries) {
      try {
        await this.deliverAlone(delivery);
      } catch (error) {
        failures.push({ delivery, error });
      }
    }
    return failures;
  }

  private async deliverAlone(delivery: Delivery): Promise<void> {
    if (await this.inbox.has(delivery.subscription.consumer, delivery.envelope.id)) return;
    try {
      await this.handle(delivery);
    } catch (error) {
      if (error instanceof AlreadyProcessedError) return;
      throw error;
    }
  }

  /** Runs the message's command; alone, or inside a batch's transaction (whose inbox insert covers it). */
  private handle({ subscription, envelope }: Delivery, batch?: Transaction): Promise<void> {
    const { consumer, route } = subscription;
    const inbound = { consumer, messageId: envelope.id, recorded: batch !== undefined };
    const attributes = { 'messaging.consumer': consumer, 'messaging.message.id': envelope.id };
    return inSpan(`handle ${envelope.type}`, SpanKind.CONSUMER, envelope.traceparent, attributes, (span) => {
      const state = { correlationId: envelope.correlationId, causationId: envelope.id, traceparent: traceparentOf(span), inbound, batch };
      return MessageContext.run(state, async () => {
        await this.commandBus.execute(route.toCommand(envelope.payload));
        // A command that wrote nothing still marks the message as handled.
        if (!inbound.recorded) await this.inbox.record(consumer, envelope.id);
      });
    });
  }
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
