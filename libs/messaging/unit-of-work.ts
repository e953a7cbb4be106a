import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { IntegrationMessage } from '../contracts/message';
import { createEnvelope, Envelope } from './envelope';
import { InboxKey, InboxStore } from './inbox.store';
import { MessageContext } from './message-context';
import { AlreadyProcessedError } from './messaging.errors';
import { LeasedOutboxRow, OutboxWriter } from './outbox-writer';

/** The batch transaction that units of work started now join (see UnitOfWork.joining). */
const batches = new AsyncLocalStorage<Transaction>();

/** One database transaction of a context, with the messages it will emit once committed. */
export class Transaction {
  private readonly outgoing: Envelope[] = [];
  private readonly committedCallbacks: (() => unknown)[] = [];

  constructor(readonly manager: EntityManager) {}

  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T[]> {
    return this.manager.query(sql, parameters);
  }

  /**
   * Queues a contract message; it is written to the outbox in this transaction. `cause`: the
   * command it answers, when one unit of work handles many (its origin is then that command's).
   */
  publish(message: IntegrationMessage, aggregateId: string, cause?: object): void {
    this.outgoing.push(createEnvelope(message, aggregateId, cause ? MessageContext.originOf(cause) : MessageContext.origin()));
  }

  /** Runs `callback` once the transaction committed (never if it rolls back): cache evictions, metrics. */
  afterCommit(callback: () => unknown): void {
    this.committedCallbacks.push(callback);
  }

  get published(): readonly Envelope[] {
    return this.outgoing;
  }

  /** Takes over what a piece of work inside this transaction published and awaits. */
  absorb(part: Transaction): void {
    this.outgoing.push(...part.outgoing);
    this.committedCallbacks.push(...part.committedCallbacks);
  }

  async committed(): Promise<void> {
    await Promise.all(this.committedCallbacks.map((callback) => Promise.resolve().then(callback)));
  }
}

export interface UnitOfWorkOptions {
  /**
   * False for an early step of a handler that commits more than once (e.g. record a request,
   * call a remote system, record its answer): the inbound message is recorded in the inbox only
   * by the final step, so a crash between steps redelivers it. Default true.
   */
  finalStep?: boolean;
}

/**
 * Runs a command's work in one transaction that also writes its outbox rows and, when the
 * command was caused by an inbound message, that message's inbox row. So state, outgoing
 * messages and "this message was handled" commit or roll back together.
 *
 * A batch of inbound messages shares one transaction (`runBatch`): every unit of work started
 * while handling them joins it, so a hundred replies cost one commit, one inbox insert and one
 * outbox insert instead of a hundred of each.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: InboxStore,
    private readonly outbox: OutboxWriter,
  ) {}

  async run<T>(work: (tx: Transaction) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    const batch = batches.getStore();
    if (batch) {
      const part = new Transaction(batch.manager);
      const value = await work(part);
      batch.absorb(part);
      return value;
    }
    const inbound = MessageContext.current()?.inbound;
    const claimsInbound = inbound !== undefined && !inbound.recorded && options.finalStep !== false;
    const tx = await this.dataSource.transaction(async (manager) => {
      if (claimsInbound) {
        const fresh = await this.inbox.recordMany(manager, inbound.keys);
        const handled = inbound.keys.find((key) => !fresh.has(key));
        if (handled) throw new AlreadyProcessedError(handled.consumer, handled.messageId);
      }
      const transaction = new Transaction(manager);
      const value = await work(transaction);
      const leased = await this.outbox.enqueue(manager, transaction.published);
      return { transaction, value, leased };
    });
    if (claimsInbound) inbound.recorded = true;
    await this.afterCommit(tx.transaction, tx.leased);
    return tx.value;
  }

  /**
   * Handles a batch of inbound messages in one transaction: records them all in the inbox and
   * hands `work` the ones that were not there yet (in the given order), with the transaction
   * that every unit of work started within `UnitOfWork.joining` it joins. Any failure rolls
   * back the whole batch; the caller then handles its messages one by one.
   */
  async runBatch<T extends InboxKey>(items: readonly T[], work: (fresh: T[], batch: Transaction) => Promise<void>): Promise<void> {
    let fresh = new Set<T>();
    const batch = await this.dataSource.transaction(async (manager) => {
      fresh = await this.inbox.recordMany(manager, items);
      const transaction = new Transaction(manager);
      await work(
        items.filter((item) => fresh.has(item)),
        transaction,
      );
      return { transaction, leased: await this.outbox.enqueue(manager, transaction.published) };
    });
    this.inbox.countSkipped(items.filter((item) => !fresh.has(item)));
    await this.afterCommit(batch.transaction, batch.leased);
  }

  /** Runs `work` so that every unit of work it starts joins `batch`, the transaction of runBatch. */
  static joining<T>(batch: Transaction, work: () => T): T {
    return batches.run(batch, work);
  }

  private async afterCommit(transaction: Transaction, leased: readonly LeasedOutboxRow[]): Promise<void> {
    if (transaction.published.length > 0) this.outbox.written(leased);
    await transaction.committed();
  }
}
