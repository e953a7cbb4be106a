import type { DataSource, EntityManager } from 'typeorm';
import { BackgroundWork } from '../persistence/background-work';
import { InboxKey, InboxStore } from './inbox.store';
import { InboundDelivery, MessageContext } from './message-context';
import { OutboxWriter } from './outbox-writer';
import { UnitOfWork } from './unit-of-work';

/** A unit of work over a data source that runs transactions at once and an inbox that remembers what it recorded. */
function unitOfWorkRecordingInto(recorded: InboxKey[]): UnitOfWork {
  const dataSource = { transaction: (work: (manager: EntityManager) => Promise<unknown>) => work({} as EntityManager) };
  const inbox = {
    recordMany: (_manager: EntityManager, keys: readonly InboxKey[]) => {
      recorded.push(...keys);
      return Promise.resolve(new Set(keys));
    },
  };
  const outbox = { enqueue: () => Promise.resolve(), written: () => undefined };
  return new UnitOfWork(dataSource as unknown as DataSource, inbox as unknown as InboxStore, outbox as unknown as OutboxWriter);
}

function handling<T>(inbound: InboundDelivery, work: () => T): T {
  return MessageContext.run({ correlationId: 'correlation-1', causationId: inbound.keys[0].messageId, traceparent: null, inbound }, work);
}

describe('Background work started while a message is handled', () => {
  it('runs as background work outside the message context, which stays the handler’s', async () => {
    const inbound: InboundDelivery = { keys: [{ consumer: 'payments', messageId: 'message-1' }], recorded: false };
    const seen = await handling(inbound, async () => {
      const inside = await BackgroundWork.run(() => Promise.resolve({ context: MessageContext.current(), background: BackgroundWork.active() }));
      return { inside, after: MessageContext.current(), background: BackgroundWork.active() };
    });
    expect(seen.inside).toEqual({ context: undefined, background: true });
    expect(seen.after?.inbound).toBe(inbound);
    expect(seen.background).toBe(false);
  });

  it('commits without recording the message in the inbox, so the handler’s own transaction still does', async () => {
    const recorded: InboxKey[] = [];
    const unitOfWork = unitOfWorkRecordingInto(recorded);
    const inbound: InboundDelivery = { keys: [{ consumer: 'payments', messageId: 'message-1' }], recorded: false };
    await handling(inbound, async () => {
      await BackgroundWork.run(() => unitOfWork.run(() => Promise.resolve()));
      expect(recorded).toEqual([]);
      expect(inbound.recorded).toBe(false);
      await unitOfWork.run(() => Promise.resolve());
    });
    expect(recorded).toEqual(inbound.keys);
    expect(inbound.recorded).toBe(true);
  });
});
