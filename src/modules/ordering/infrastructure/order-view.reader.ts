import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrderHistoryEntry, OrderView } from '../application/get-order/order.queries';
import { OrderStatus } from '../domain/order';
import { OrderEventRow, toRecorded } from './order.repository';

interface OrderViewRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  items: OrderView['items'];
  total_amount: string | number;
  currency: string;
  reasons: string[];
  created_at: Date;
  updated_at: Date;
}

function toView(row: OrderViewRow): OrderView {
  return {
    id: row.id,
    status: row.status,
    customerId: row.customer_id,
    items: row.items,
    total: { amount: Number(row.total_amount), currency: row.currency.trim() },
    reasons: row.reasons,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Reads of the order read model and of the event store, outside any transaction. */
@Injectable()
export class OrderViewReader {
  constructor(private readonly dataSource: DataSource) {}

  async get(orderId: string): Promise<OrderView | undefined> {
    const [row]: OrderViewRow[] = await this.dataSource.query('SELECT * FROM ordering.order_view WHERE id = $1', [orderId]);
    return row ? toView(row) : undefined;
  }

  /** Newest first, keyset-paginated on the time-ordered id. */
  async list(filter: { customerId?: string; status?: OrderStatus }, limit: number, before?: string): Promise<OrderView[]> {
    const rows: OrderViewRow[] = await this.dataSource.query(
      `SELECT * FROM ordering.order_view
       WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4`,
      [filter.customerId ?? null, filter.status ?? null, before ?? null, limit],
    );
    return rows.map(toView);
  }

  /** Orders in each status still open: PENDING (awaiting the saga's decision) and CONFIRMED (awaiting capture and stock commit). */
  async openCounts(): Promise<Map<OrderStatus, number>> {
    const rows: { status: OrderStatus; n: number }[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM ordering.order_view WHERE status IN ('PENDING', 'CONFIRMED') GROUP BY status`,
    );
    return new Map(rows.map((row) => [row.status, row.n]));
  }

  async history(orderId: string): Promise<OrderHistoryEntry[]> {
    const rows: OrderEventRow[] = await this.dataSource.query(
      'SELECT * FROM ordering.order_event WHERE order_id = $1 ORDER BY version',
      [orderId],
    );
    return rows.map(toRecorded).map(({ version, occurredAt, event }) => ({
      version,
      type: event.type,
      occurredAt: occurredAt.toISOString(),
      data: event.data,
    }));
  }
}
