import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
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
    const [row] = await manager.query<ReservationRow[]>(
      `SELECT order_id, status, lines, reason, rejected_product_ids
       FROM inventory.reservation WHERE order_id = $1 FOR UPDATE`,
      [orderId],
    );
    return row ? toReservation(row) : undefined;
  }

  /**
   * Fails on the primary key when another transaction recorded this order first; the command
   * then rolls back and its retry sees that reservation.
   */
  async insert(manager: EntityManager, reservation: Reservation): Promise<void> {
    const rejected = reservation.status === 'REJECTED' ? reservation : undefined;
    await manager.query(
      `INSERT INTO inventory.reservation (order_id, status, lines, reason, rejected_product_ids)
       VALUES ($1, $2, $3::jsonb, $4, $5::text[])`,
      [
        reservation.orderId,
        reservation.status,
        JSON.stringify(reservation.lines),
        rejected?.reason ?? null,
        rejected?.rejectedProductIds ?? [],
      ],
    );
  }

  async setStatus(manager: EntityManager, orderId: string, status: 'COMMITTED' | 'RELEASED'): Promise<void> {
    const rows = rowsOf<unknown>(
      await manager.query(
        'UPDATE inventory.reservation SET status = $2, updated_at = now() WHERE order_id = $1 RETURNING order_id',
        [orderId, status],
      ),
    );
    if (rows.length !== 1) throw new Error(`reservation of order ${orderId} is missing`);
  }
}
