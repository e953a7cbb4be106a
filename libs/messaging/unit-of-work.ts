import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { IntegrationMessage } from '../contracts/message';
import { createEnvelope, Envelope } from './envelope';
import { InboxStore } from './inbox.store';
import { MessageContext } from './message-context';
import { AlreadyProcessedError } from './messaging.errors';
import { OutboxRelay } from './outbox-relay';

/** One database transaction of a context, with the messages it will emit once committed. */
export class Transaction {
  private readonly outgoing: Envelope[] = [];

  constructor(readonly manager: EntityManager) {}

  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T[]> {
    return this.manager.query(sql, parameters);
  }

  /** Queues a contract message; it is written to the outbox in this transaction. */
  publish(message: IntegrationMessage, aggregateId: string): void {
    this.outgoing.push(createEnvelope(message, aggregateId, MessageContext.origin()));
  }

  get published(): readonly Envelope[] {
    return this.outgoing;
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
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: InboxStore,
    private readonly relay: OutboxRelay,
  ) {}

  async run<T>(work: (tx: Transaction) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    const inbound = MessageContext.current()?.inbound;
    const claimsInbound = inbound !== undefined && !inbound.recorded && options.finalStep !== false;
    let emitted = 0;
    const result = await this.dataSource.transaction(async (manager) => {
      if (claimsInbound && !(await this.inbox.record(inbound.consumer, inbound.messageId, manager))) {
        throw new AlreadyProcessedError(inbound.consumer, inbound.messageId);
      }
      const tx = new Transaction(manager);
      const value = await work(tx);
      await OutboxRelay.enqueue(manager, tx.published, this.relay.origin);
      emitted = tx.published.length;
      return value;
    });
    if (claimsInbound) inbound.recorded = true;
    if (emitted > 0) this.relay.kick();
    return result;
  }
}
