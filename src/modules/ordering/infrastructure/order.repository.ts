import { ConflictException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { columnsOf } from '../../../../libs/persistence';
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
  async loadMany(manager: EntityManager, orderIds: readonly string[]): Promise<Map<string, Order>> {
    const rows: OrderEventRow[] = await manager.query(
      'SELECT * FROM ordering.order_event WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, version',
      [orderIds],
    );
    const histories = new Map<string, RecordedOrderEvent[]>();
    for (const row of rows) {
      const history = histories.get(row.order_id) ?? [];
      history.push(toRecorded(row));
      histories.set(row.order_id, history);
    }
    return new Map([...histories].map(([orderId, history]) => [orderId, Order.fromHistory(history)]));
  }

  /** Appends each order's new events (caused within its `correlationId`) and writes its view. */
  async saveMany(manager: EntityManager, changes: readonly { order: Order; correlationId: string | null }[]): Promise<void> {
    const events = changes.flatMap(({ order, correlationId }) =>
      order.uncommitted.map((event, i) => ({ state: order.state, version: order.loadedVersion + i + 1, event, correlationId })),
    );
    if (events.length === 0) return;
    try {
      await manager.query(
        `INSERT INTO ordering.order_event (order_id, version, type, data, occurred_at, correlation_id)
         SELECT order_id, version, type, data::jsonb, occurred_at, correlation_id
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
           AS e(order_id, version, type, data, occurred_at, correlation_id)`,
        columnsOf(events, (e) => [e.state.id, e.version, e.event.type, JSON.stringify(e.event.data), e.state.updatedAt, e.correlationId]),
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictException(`an order of ${changes.map(({ order }) => order.state.id).join(', ')} was changed concurrently`);
      }
      throw error;
    }
    await OrderRepository.writeViews(
      manager,
      changes.filter(({ order }) => order.uncommitted.length > 0).map(({ order }) => order.state),
    );
  }

  static async writeView(manager: EntityManager, state: OrderState): Promise<void> {
    await OrderRepository.writeViews(manager, [state]);
  }

  static async writeViews(manager: EntityManager, states: readonly OrderState[]): Promise<void> {
    await manager.query(
      `INSERT INTO ordering.order_view (id, customer_id, status, items, total_amount, currency, reasons, created_at, updated_at, version)
       SELECT id, customer_id, status, items::jsonb, total_amount, currency, reasons::jsonb, created_at, updated_at, version
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::timestamptz[],
                   $9::timestamptz[], $10::int[])
         AS v(id, customer_id, status, items, total_amount, currency, reasons, created_at, updated_at, version)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, reasons = EXCLUDED.reasons,
         updated_at = EXCLUDED.updated_at, version = EXCLUDED.version`,
      columnsOf(states, (s) => [
        s.id,
        s.customerId,
        s.status,
        JSON.stringify(s.lines),
        s.total.amount,
        s.total.currency,
        JSON.stringify(s.reasons),
        s.createdAt,
        s.updatedAt,
        s.version,
      ]),
    );
  }
}
