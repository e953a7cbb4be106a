import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { columnsOf, rowsOf } from '../../../../libs/persistence';
import { Reservation, ReservationLine, ReservationStatus, StockShortage } from '../domain/reservation';

interface ReservationRow {
  order_id: string;
  status: ReservationStatus;
  lines: ReservationLine[];
  reason: StockShortage | null;
  rejected_product_ids: string[];
}

function toReservation(row: ReservationRow): Reservation {
  const base = { orderId: row.order_id, lines: row.lines };
  if (row.status !== 'REJECTED') return { ...base, status: row.status };
  // The table's CHECK guarantees a rejected row has its reason.
  return { ...base, status: 'REJECTED', reason: row.reason as StockShortage, rejectedProductIds: row.rejected_product_ids };
}

/** `inventory.reservation`: one row per order. Used inside a command's transaction only. */
@Injectable()
export class ReservationRepository {
  /** Locks the order's reservation, if any, until the transaction ends. */
  async lock(manager: EntityManager, orderId: string): Promise<Reservation | undefined> {
    return (await this.lockMany(manager, [orderId])).get(orderId);
  }

  /** Locks the orders' reservations that exist, in order id order. */
  async lockMany(manager: EntityManager, orderIds: readonly string[]): Promise<Map<string, Reservation>> {
    const rows = await manager.query<ReservationRow[]>(
      `SELECT order_id, status, lines, reason, rejected_product_ids
       FROM inventory.reservation WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE`,
      [orderIds],
    );
    return new Map(rows.map((row) => [row.order_id, toReservation(row)]));
  }

  /**
   * Fails on the primary key when another transaction recorded one of these orders first; the
   * command then rolls back and its retry sees that reservation.
   */
  async insert(manager: EntityManager, reservation: Reservation): Promise<void> {
    await this.insertMany(manager, [reservation]);
  }

  async insertMany(manager: EntityManager, reservations: readonly Reservation[]): Promise<void> {
    if (reservations.length === 0) return;
    await manager.query(
      `INSERT INTO inventory.reservation (order_id, status, lines, reason, rejected_product_ids)
       SELECT order_id, status, lines::jsonb, reason, ARRAY(SELECT jsonb_array_elements_text(rejected::jsonb))
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r(order_id, status, lines, reason, rejected)`,
      columnsOf(reservations, (r) => {
        const rejected = r.status === 'REJECTED' ? r : undefined;
        // A text[][] cannot be ragged, so each row's ids travel as one JSON array.
        return [r.orderId, r.status, JSON.stringify(r.lines), rejected?.reason ?? null, JSON.stringify(rejected?.rejectedProductIds ?? [])];
      }),
    );
  }

  async setStatus(manager: EntityManager, orderId: string, status: 'COMMITTED' | 'RELEASED'): Promise<void> {
    await this.setStatusMany(manager, [orderId], status);
  }

  async setStatusMany(manager: EntityManager, orderIds: readonly string[], status: 'COMMITTED' | 'RELEASED'): Promise<void> {
    if (orderIds.length === 0) return;
    const rows = rowsOf<unknown>(
      await manager.query(
        'UPDATE inventory.reservation SET status = $2, updated_at = now() WHERE order_id = ANY($1::uuid[]) RETURNING order_id',
        [orderIds, status],
      ),
    );
    if (rows.length !== new Set(orderIds).size) throw new Error(`reservations of ${orderIds.length - rows.length} orders are missing`);
  }
}
