import { ConflictException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MessageContext } from '../../../../libs/messaging';
import { Order, OrderState } from '../domain/order';
import { OrderEvent, RecordedOrderEvent } from '../domain/order-events';

export interface OrderEventRow {
  order_id: string;
  version: number;
  type: OrderEvent['type'];
  data: OrderEvent['data'];
  occurred_at: Date;
}

export function toRecorded(row: OrderEventRow): RecordedOrderEvent {
  return {
    orderId: row.order_id,
    version: row.version,
    occurredAt: new Date(row.occurred_at),
    event: { type: row.type, data: row.data } as OrderEvent,
  };
}

/**
 * The order event store plus its read model. Appending checks the expected version through
 * the (order_id, version) key, and the view is written in the same transaction.
 */
@Injectable()
export class OrderRepository {
  async load(manager: EntityManager, orderId: string): Promise<Order | undefined> {
    const rows: OrderEventRow[] = await manager.query(
      'SELECT * FROM ordering.order_event WHERE order_id = $1 ORDER BY version',
      [orderId],
    );
    return rows.length === 0 ? undefined : Order.fromHistory(rows.map(toRecorded));
  }

  async save(manager: EntityManager, order: Order): Promise<void> {
    const events = order.uncommitted;
    if (events.length === 0) return;
    const state = order.state;
    const correlationId = MessageContext.current()?.correlationId ?? null;
    const values: unknown[] = [];
    const tuples = events.map((event, i) => {
      values.push(state.id, order.loadedVersion + i + 1, event.type, JSON.stringify(event.data), state.updatedAt, correlationId);
      const p = i * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}::jsonb, $${p + 5}, $${p + 6})`;
    });
    try {
      await manager.query(
        `INSERT INTO ordering.order_event (order_id, version, type, data, occurred_at, correlation_id) VALUES ${tuples.join(', ')}`,
        values,
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictException(`order ${state.id} was changed concurrently`);
      }
      throw error;
    }
    await OrderRepository.writeView(manager, state);
  }

  static async writeView(manager: EntityManager, state: OrderState): Promise<void> {
    await manager.query(
      `INSERT INTO ordering.order_view (id, customer_id, status, items, total_amount, currency, reasons, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, reasons = EXCLUDED.reasons,
         updated_at = EXCLUDED.updated_at, version = EXCLUDED.version`,
      [
        state.id,
        state.customerId,
        state.status,
        JSON.stringify(state.lines),
        state.total.amount,
        state.total.currency,
        JSON.stringify(state.reasons),
        state.createdAt,
        state.updatedAt,
        state.version,
      ],
    );
  }
}
