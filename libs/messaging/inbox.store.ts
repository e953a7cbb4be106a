import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface InboxKey {
  consumer: string;
  messageId: string;
}

function keyOf(consumer: string, messageId: string): string {
  return `${consumer} ${messageId.toLowerCase()}`;
}

/** `(consumer, message id)` pairs whose effects have committed. */
@Injectable()
export class InboxStore {
  constructor(private readonly dataSource: DataSource) {}

  async has(consumer: string, messageId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM messaging.inbox WHERE consumer = $1 AND message_id = $2',
      [consumer, messageId],
    );
    return rows.length > 0;
  }

  /**
   * Records every pair not recorded yet, in one statement; returns the given items that were
   * new now (for a pair given twice, its first item).
   */
  async recordMany<T extends InboxKey>(manager: EntityManager, items: readonly T[]): Promise<Set<T>> {
    const rows: { consumer: string; message_id: string }[] = await manager.query(
      `INSERT INTO messaging.inbox (consumer, message_id)
       SELECT * FROM unnest($1::text[], $2::uuid[]) ON CONFLICT DO NOTHING RETURNING consumer, message_id`,
      [items.map((item) => item.consumer), items.map((item) => item.messageId)],
    );
    const recorded = new Set(rows.map((row) => keyOf(row.consumer, row.message_id)));
    const fresh = new Set<T>();
    for (const item of items) {
      if (recorded.delete(keyOf(item.consumer, item.messageId))) fresh.add(item);
    }
    return fresh;
  }

  /** Returns false when the pair was already there (a redelivery). */
  async record(consumer: string, messageId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO messaging.inbox (consumer, message_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [consumer, messageId],
    );
    return rows.length > 0;
  }
}
