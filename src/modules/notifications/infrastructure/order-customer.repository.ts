import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { columnsOf } from '../../../../libs/persistence';

/**
 * `notifications.order_customer`: whose each order is, as the order's events named them, for
 * events that do not name the customer (a refund's).
 */
@Injectable()
export class OrderCustomerRepository {
  /** An order's customer never changes: the first recorded stays. */
  async saveMany(manager: EntityManager, orders: readonly { orderId: string; customerId: string }[]): Promise<void> {
    if (orders.length === 0) return;
    const byOrder = [...new Map(orders.map((order) => [order.orderId, order])).values()].sort((a, b) =>
      a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0,
    );
    await manager.query(
      `INSERT INTO notifications.order_customer (order_id, customer_id)
       SELECT * FROM unnest($1::uuid[], $2::text[])
       ON CONFLICT (order_id) DO NOTHING`,
      columnsOf(byOrder, (order) => [order.orderId, order.customerId]),
    );
  }

  /** The customers of these orders, by order id; an order notifications never heard of is missing. */
  async customersOf(manager: EntityManager, orderIds: readonly string[]): Promise<Map<string, string>> {
    if (orderIds.length === 0) return new Map();
    const rows: { order_id: string; customer_id: string }[] = await manager.query(
      'SELECT order_id, customer_id FROM notifications.order_customer WHERE order_id = ANY($1::uuid[])',
      [[...new Set(orderIds)]],
    );
    return new Map(rows.map((row) => [row.order_id, row.customer_id]));
  }
}
