import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf } from '../persistence/sql';

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

  /** The items whose pair the inbox holds already. */
  async handled<T extends InboxKey>(items: readonly T[]): Promise<Set<T>> {
    const rows: { consumer: string; message_id: string }[] = await this.dataSource.query(
      `SELECT i.consumer, i.message_id FROM messaging.inbox i
       JOIN unnest($1::text[], $2::uuid[]) AS k(consumer, message_id) USING (consumer, message_id)`,
      columnsOf(items, (item) => [item.consumer, item.messageId]),
    );
    const recorded = new Set(rows.map((row) => keyOf(row.consumer, row.message_id)));
    return new Set(items.filter((item) => recorded.has(keyOf(item.consumer, item.messageId))));
  }

  /**
   * Records every pair not recorded yet, in one statement; returns the given items that were
   * new now (for a pair given twice, its first item).
   */
  async recordMany<T extends InboxKey>(manager: EntityManager = this.dataSource.manager, items: readonly T[]): Promise<Set<T>> {
    const rows: { consumer: string; message_id: string }[] = await manager.query(
      `INSERT INTO messaging.inbox (consumer, message_id)
       SELECT * FROM unnest($1::text[], $2::uuid[]) ON CONFLICT DO NOTHING RETURNING consumer, message_id`,
      columnsOf(items, (item) => [item.consumer, item.messageId]),
    );
    const recorded = new Set(rows.map((row) => keyOf(row.consumer, row.message_id)));
    const fresh = new Set<T>();
    for (const item of items) {
      if (recorded.delete(keyOf(item.consumer, item.messageId))) fresh.add(item);
    }
    return fresh;
  }
}
