import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

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
