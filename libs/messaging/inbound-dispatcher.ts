import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CommandBus, ICommand } from '@nestjs/cqrs';
import { ContextName, IntegrationMessage } from '../contracts/message';
import { contractKey } from '../contracts/registry';
import { inSpan, SpanKind, traceparentOf } from '../observability/tracing';
import { BATCH_COMMAND_HANDLER, BatchCommandHandler } from './batch-command-handler';
import { CoalescingQueue } from './coalescing-queue';
import { Envelope, EnvelopeOrigin } from './envelope';
import { InboundRoute, InboundRoutes } from './inbound-routes';
import { InboxStore } from './inbox.store';
import { InboundDelivery, MessageContext } from './message-context';
import { MessageDecoder } from './message-decoder';
import {
  AlreadyProcessedError,
  ConsumerFailure,
  DeliveryError,
  describeError,
} from './messaging.errors';
import { Transaction, UnitOfWork } from './unit-of-work';

interface Subscription {
  context: ContextName;
  consumer: string;
  route: InboundRoute;
}

/**
 * The name a context's consumer of a contract has in the inbox (`inventory/inventory.ReserveStock@1`);
 * hasUnhandledPublishedMessages (outbox-backlog.ts) builds the same in SQL.
 */
function consumerKey(context: ContextName, type: string, version: number): string {
  return `${context}/${type}@${version}`;
}

/** One envelope for one local consumer (`consumer` + `messageId`: its inbox key). */
interface Delivery {
  subscription: Subscription;
  envelope: Envelope;
  /** The envelope decoded: its payload matched the contract's schema. */
  message: IntegrationMessage;
  consumer: string;
  messageId: string;
}

/** A delivery that failed, with why. */
interface Failure {
  delivery: Delivery;
  error: unknown;
}

/** A delivery turned into its local command. */
interface Handling {
  delivery: Delivery;
  command: ICommand;
}

/**
 * Hands envelopes to the local consumers of their contracts, each at most once: a consumer that
 * already has the message in its inbox is skipped, and a consumer's effect and its inbox row
 * commit in one transaction (see UnitOfWork). Every envelope is decoded first: one that does not
 * match its contract's schema reaches no handler and fails at once, as poison. A batch of
 * envelopes is handled per context in one transaction, one such transaction per context at a
 * time (batches that wait for it go together); if that fails, its messages are handled one by
 * one, so a poison message fails alone and the rest still commit.
 */
@Injectable()
export class InboundDispatcher implements OnModuleInit {
  private readonly logger = new Logger(InboundDispatcher.name);
  private readonly subscriptions = new Map<string, Subscription[]>();
  private readonly batchHandlers = new Map<unknown, BatchCommandHandler<ICommand>>();
  private readonly turns = new Map<ContextName, CoalescingQueue<Delivery[], Failure[]>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly inbox: InboxStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly commandBus: CommandBus,
    private readonly decoder: MessageDecoder,
  ) {}

  onModuleInit(): void {
    for (const { instance, metatype } of this.discovery.getProviders()) {
      if (instance instanceof InboundRoutes) instance.routes.forEach((route) => this.subscribe(instance.context, route));
      const batchOf: unknown = metatype ? Reflect.getMetadata(BATCH_COMMAND_HANDLER, metatype) : undefined;
      if (batchOf) this.batchHandlers.set(batchOf, instance as BatchCommandHandler<ICommand>);
    }
  }

  subscribe(context: ContextName, route: InboundRoute): void {
    const { type, version } = route.message.definition;
    const key = contractKey(type, version);
    const consumer = consumerKey(context, type, version);
    const list = this.subscriptions.get(key) ?? [];
    if (list.some((s) => s.consumer === consumer)) throw new Error(`${consumer} has two routes`);
    list.push({ context, consumer, route });
    this.subscriptions.set(key, list);
    this.inbox.declareConsumer(consumer);
  }

  /** To every local consumer of the message, or only to those of `context`. */
  async dispatch(envelope: Envelope, context?: ContextName): Promise<void> {
    const failures: ConsumerFailure[] = [];
    for (const delivery of this.deliveriesOf(envelope, context)) {
      for (const { error } of await this.deliverAlone(delivery)) failures.push({ consumer: delivery.consumer, error });
    }
    if (failures.length > 0) throw new DeliveryError(failures);
  }

  /**
   * Delivers envelopes (in outbox or partition order) to every local consumer, or only to those
   * of `context`. Resolves with the error of each envelope that failed; the others are handled.
   * `onSharedTransactionsDone` is called once every consumer but those that commit around a
   * remote call (`ownTransactions`) is done, which may be long before the rest.
   */
  async dispatchBatch(
    envelopes: readonly Envelope[],
    context?: ContextName,
    onSharedTransactionsDone?: () => void,
  ): Promise<Map<Envelope, unknown>> {
    const failed = new Map<Envelope, unknown>();
    const byContext = new Map<ContextName, Delivery[]>();
    for (const envelope of envelopes) {
      try {
        for (const delivery of this.deliveriesOf(envelope, context)) {
          const list = byContext.get(delivery.subscription.context) ?? [];
          list.push(delivery);
          byContext.set(delivery.subscription.context, list);
        }
      } catch (error) {
        failed.set(envelope, error);
      }
    }
    // Each context's share: the messages of shared-transaction routes in one transaction; beside
    // them, those whose handlers commit around a remote call.
    const shares = [...byContext.values()];
    const shared = Promise.all(shares.map((deliveries) => this.deliverTogether(deliveries.filter((d) => !d.subscription.route.ownTransactions))));
    if (onSharedTransactionsDone) void shared.then(onSharedTransactionsDone, onSharedTransactionsDone);
    const perContext = await Promise.all([
      shared,
      ...shares.map((deliveries) => this.deliverInOwnTransactions(deliveries.filter((d) => d.subscription.route.ownTransactions))),
    ]);
    const consumerFailures = new Map<Envelope, ConsumerFailure[]>();
    for (const { delivery, error } of perContext.flat(2)) {
      const list = consumerFailures.get(delivery.envelope) ?? [];
      list.push({ consumer: delivery.subscription.consumer, error });
      consumerFailures.set(delivery.envelope, list);
    }
    consumerFailures.forEach((failures, envelope) => failed.set(envelope, new DeliveryError(failures)));
    return failed;
  }

  /** Throws MalformedMessageError, before any consumer sees it, when the envelope does not decode. */
  private deliveriesOf(envelope: Envelope, context?: ContextName): Delivery[] {
    const message = this.decoder.decode(envelope);
    return (this.subscriptions.get(contractKey(envelope.type, envelope.version)) ?? [])
      .filter((subscription) => context === undefined || subscription.context === context)
      .map((subscription) => ({ subscription, envelope, message, consumer: subscription.consumer, messageId: envelope.id }));
  }

  /**
   * One context's shared-transaction deliveries take turns: while its transaction runs, the
   * deliveries of other batches wait and then go together in the next one. So a row every
   * order touches (a product's stock) is locked by one transaction of this process at a time,
   * not by a queue of them, and a burst makes fewer, larger transactions.
   */
  private deliverTogether(deliveries: Delivery[]): Promise<Failure[]> {
    if (deliveries.length === 0) return Promise.resolve([]);
    const { context } = deliveries[0].subscription;
    let queue = this.turns.get(context);
    if (!queue) {
      queue = new CoalescingQueue((waiting: Delivery[][]) => this.deliverWaiting(waiting));
      this.turns.set(context, queue);
    }
    return queue.submit(deliveries);
  }

  /** Batches that waited for their context's turn: all in one transaction; if that fails, each as it came. */
  private async deliverWaiting(batches: Delivery[][]): Promise<Failure[][]> {
    if (batches.length > 1 && (await this.deliveredAsOne(batches.flat()))) return batches.map(() => []);
    const failures: Failure[][] = [];
    for (const deliveries of batches) failures.push(await this.deliverBatch(deliveries));
    return failures;
  }

  private async deliverBatch(deliveries: Delivery[]): Promise<Failure[]> {
    if (deliveries.length > 1 && (await this.deliveredAsOne(deliveries))) return [];
    const failures: Failure[] = [];
    for (const delivery of deliveries) failures.push(...(await this.deliverAlone(delivery)));
    return failures;
  }

  /** Whether the deliveries committed in one transaction; if not, nothing of them did. */
  private async deliveredAsOne(deliveries: Delivery[]): Promise<boolean> {
    // Aggregate order (stable, so one aggregate's messages keep theirs): concurrent batches
    // then lock the aggregates' rows in the same order instead of deadlocking.
    const ordered = [...deliveries].sort((a, b) => compare(a.envelope.aggregateId, b.envelope.aggregateId));
    try {
      await this.unitOfWork.runBatch(ordered, (fresh, batch) => this.handleTogether(fresh, batch));
      return true;
    } catch (error) {
      this.logger.warn(`a batch of ${deliveries.length} messages failed (${describeError(error)}); handling them in smaller parts`);
      return false;
    }
  }

  /**
   * Messages whose handlers open their own transactions: a kind of command whose handler takes
   * batches gets all of its new ones at once (recording them in the inbox in its final step);
   * the others are handled side by side, each alone. A failed batch is handled again one by one.
   */
  private async deliverInOwnTransactions(deliveries: Delivery[]): Promise<Failure[]> {
    const handlings = this.handlings(deliveries);
    const byKind = groupByKind(handlings);
    const batched = sharesAggregates(byKind)
      ? []
      : byKind.filter((group) => group.length > 1 && this.batchHandlers.has(group[0].command.constructor));
    const inBatches = new Set(batched.flat());
    const alone = handlings.filter((h) => !inBatches.has(h));
    const results = await Promise.all([
      ...batched.map(async (group) => {
        const done = await this.inbox.handled(group.map((h) => h.delivery));
        const fresh = group.filter((h) => !done.has(h.delivery));
        try {
          if (fresh.length > 0) await this.handleAsOne(fresh, { keys: fresh.map((h) => h.delivery), recorded: false });
          return [];
        } catch (error) {
          this.logger.warn(`a batch of ${fresh.length} messages failed (${describeError(error)}); handling them one by one`);
          return (await Promise.all(fresh.map((h) => this.deliverAlone(h.delivery, h.command)))).flat();
        }
      }),
      ...alone.map((h) => this.deliverAlone(h.delivery, h.command)),
    ]);
    return results.flat();
  }

  /** Handles the message on its own (as `command` when it was made already); resolves with its failure, if any. */
  private async deliverAlone(delivery: Delivery, command?: ICommand): Promise<Failure[]> {
    try {
      if ((await this.inbox.handled([delivery])).size > 0) return [];
      await this.handle(delivery, undefined, command);
      return [];
    } catch (error) {
      if (error instanceof AlreadyProcessedError) {
        this.inbox.countSkipped([delivery]);
        return [];
      }
      return [{ delivery, error }];
    }
  }

  /** Each delivery's command, remembering the message it came from. */
  private handlings(deliveries: readonly Delivery[]): Handling[] {
    return deliveries.map((delivery) => {
      const command = delivery.subscription.route.toCommand(delivery.message.payload, delivery.envelope);
      MessageContext.rememberOrigin(command, originOf(delivery.envelope));
      return { delivery, command };
    });
  }

  /**
   * The fresh messages of a batch, in the batch's transaction. Commands of one kind go to their
   * handler's `executeBatch` when it has one, unless the batch also holds another kind of command
   * for one of their aggregates (whose order must then be kept message by message).
   */
  private async handleTogether(deliveries: Delivery[], batch: Transaction): Promise<void> {
    const handlings = this.handlings(deliveries);
    const byKind = groupByKind(handlings);
    for (const group of sharesAggregates(byKind) ? [handlings] : byKind) {
      if (group.length > 1 && group.every((h) => h.command.constructor === group[0].command.constructor && this.batchHandlers.has(h.command.constructor))) {
        await this.handleAsOne(group, { keys: group.map((h) => h.delivery), recorded: true }, batch);
      } else {
        for (const { delivery, command } of group) await this.handle(delivery, batch, command);
      }
    }
  }

  /** Commands of one kind in one call of their handler's `executeBatch`. */
  private handleAsOne(group: Handling[], inbound: InboundDelivery, batch?: Transaction): Promise<void> {
    const handler = this.batchHandlers.get(group[0].command.constructor)!;
    const [{ delivery: first }] = group;
    const attributes = { 'messaging.consumer': first.consumer, 'messaging.batch.message_count': group.length };
    const handled = group.map((h) => h.delivery.envelope.traceparent);
    return inSpan(
      `handle ${group.length} × ${first.envelope.type}`,
      SpanKind.CONSUMER,
      first.envelope.traceparent,
      attributes,
      () =>
        MessageContext.run({ ...originOf(first.envelope), inbound }, async () => {
          const commands = group.map((h) => h.command);
          await (batch ? UnitOfWork.joining(batch, () => handler.executeBatch(commands)) : handler.executeBatch(commands));
          if (!inbound.recorded) await this.inbox.recordMany(undefined, inbound.keys);
        }),
      handled,
    );
  }

  /** Runs the message's command; alone, or inside a batch's transaction (whose inbox insert covers it). */
  private handle(delivery: Delivery, batch?: Transaction, command?: ICommand): Promise<void> {
    const { subscription, envelope, message } = delivery;
    const inbound = { keys: [delivery], recorded: batch !== undefined };
    const attributes = { 'messaging.consumer': subscription.consumer, 'messaging.message.id': envelope.id };
    return inSpan(`handle ${envelope.type}`, SpanKind.CONSUMER, envelope.traceparent, attributes, (span) => {
      const state = { correlationId: envelope.correlationId, causationId: envelope.id, traceparent: traceparentOf(span), inbound };
      return MessageContext.run(state, async () => {
        const execute = () => this.commandBus.execute(command ?? subscription.route.toCommand(message.payload, envelope));
        await (batch ? UnitOfWork.joining(batch, execute) : execute());
        // A command that wrote nothing still marks the message as handled.
        if (!inbound.recorded) await this.inbox.recordMany(undefined, inbound.keys);
      });
    });
  }
}

function originOf(envelope: Envelope): EnvelopeOrigin {
  return { correlationId: envelope.correlationId, causationId: envelope.id, traceparent: envelope.traceparent };
}

/** Handlings grouped by the class of their command, in order of first appearance. */
function groupByKind(handlings: readonly Handling[]): Handling[][] {
  const byKind = new Map<unknown, Handling[]>();
  for (const handling of handlings) {
    const group = byKind.get(handling.command.constructor) ?? [];
    group.push(handling);
    byKind.set(handling.command.constructor, group);
  }
  return [...byKind.values()];
}

/** Whether an aggregate has commands in more than one of the groups. */
function sharesAggregates(groups: Handling[][]): boolean {
  if (groups.length < 2) return false;
  const owner = new Map<string, Handling[]>();
  for (const group of groups) {
    for (const { delivery } of group) {
      const seen = owner.get(delivery.envelope.aggregateId);
      if (seen && seen !== group) return true;
      owner.set(delivery.envelope.aggregateId, group);
    }
  }
  return false;
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
