import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf } from '../persistence/sql';

export interface InboxKey {
  consumer: string;
  messageId: string;
}

function keyOf(consumer: string, messageId: string): string {
  return `${consumer} ${messageId.toLowerCase()}`;
}

export const INBOX_DUPLICATES_SKIPPED = 'inbox_duplicates_skipped_total';

/** `(consumer, message id)` pairs whose effects have committed. */
@Injectable()
export class InboxStore {
  constructor(
    private readonly dataSource: DataSource,
    @InjectMetric(INBOX_DUPLICATES_SKIPPED) private readonly duplicates: Counter<'consumer'>,
  ) {}

  /** Starts the consumer's count at 0, so that its rate is defined before its first duplicate. */
  declareConsumer(consumer: string): void {
    this.duplicates.inc({ consumer }, 0);
  }

  /** Counts deliveries of messages their consumer had handled already, which were skipped. */
  countSkipped(items: Iterable<InboxKey>): void {
    for (const { consumer } of items) this.duplicates.inc({ consumer });
  }

  /** The items whose pair the inbox holds already (counted as skipped: callers skip them). */
  async handled<T extends InboxKey>(items: readonly T[]): Promise<Set<T>> {
    const rows: { consumer: string; message_id: string }[] = await this.dataSource.query(
      `SELECT i.consumer, i.message_id FROM messaging.inbox i
       JOIN unnest($1::text[], $2::uuid[]) AS k(consumer, message_id) USING (consumer, message_id)`,
      columnsOf(items, (item) => [item.consumer, item.messageId]),
    );
    const recorded = new Set(rows.map((row) => keyOf(row.consumer, row.message_id)));
    const handled = new Set(items.filter((item) => recorded.has(keyOf(item.consumer, item.messageId))));
    this.countSkipped(handled);
    return handled;
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
