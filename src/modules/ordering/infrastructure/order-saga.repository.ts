import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hasQueuedMessages, hasUndeliveredMessages, hasUnhandledPublishedMessages } from '../../../../libs/messaging';
import { columnsOf } from '../../../../libs/persistence';
import { ReplyStatus, SagaOutcome } from '../application/place-order-saga/decision-matrix';
import { OrderSagaState } from '../application/place-order-saga/order-saga.state';

interface OrderSagaRow {
  order_id: string;
  customer_id: string;
  status: 'RUNNING' | 'DONE';
  inventory: ReplyStatus;
  payment: ReplyStatus;
  outcome: SagaOutcome | null;
  reasons: string[];
  lines: OrderSagaState['lines'];
  total_amount: string | number;
  currency: string;
  payment_method: OrderSagaState['paymentMethod'];
  payment_method_ref: string | null;
  payment_method_ref_expires_at: Date | null;
  correlation_id: string;
  started_at: Date;
  deadline_at: Date;
  last_driven_at: Date;
  redrive_count: number;
  finished_at: Date | null;
}

function toState(row: OrderSagaRow): OrderSagaState {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    inventory: row.inventory,
    payment: row.payment,
    outcome: row.outcome,
    reasons: row.reasons,
    lines: row.lines,
    total: { amount: Number(row.total_amount), currency: row.currency.trim() },
    paymentMethod: row.payment_method,
    sealedPaymentMethod:
      row.payment_method_ref === null || row.payment_method_ref_expires_at === null
        ? null
        : { ref: row.payment_method_ref, expiresAt: new Date(row.payment_method_ref_expires_at) },
    correlationId: row.correlation_id,
    startedAt: new Date(row.started_at),
    deadlineAt: new Date(row.deadline_at),
    lastDrivenAt: new Date(row.last_driven_at),
    redriveCount: row.redrive_count,
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  };
}

/** The persisted process manager of each order (one row per order, locked while it moves). */
/** How long after its last drive a saga may be re-driven: $1 ms, doubled for each re-drive so far, up to 16 times. */
const REDRIVE_WAIT = 'make_interval(secs => $1::float8 / 1000 * power(2, least(redrive_count, 4)))';

/**
 * Messages an order is not late while one of them is on its way, each with the context that
 * handles it (`types[i]` by `consumers[i]`): the parameters of hasUnhandledPublishedMessages.
 */
export interface SagaTraffic {
  readonly types: readonly string[];
  readonly consumers: readonly string[];
}

@Injectable()
export class OrderSagaRepository {
  async insertMany(manager: EntityManager, sagas: readonly OrderSagaState[]): Promise<void> {
    await manager.query(
      `INSERT INTO ordering.order_saga (order_id, status, inventory, payment, outcome, reasons, lines, total_amount,
         currency, payment_method, payment_method_ref, payment_method_ref_expires_at, correlation_id, started_at, deadline_at,
         last_driven_at, redrive_count, customer_id)
       SELECT order_id, status, inventory, payment, outcome, reasons::jsonb, lines::jsonb, total_amount, currency,
         payment_method, payment_method_ref, payment_method_ref_expires_at, correlation_id, started_at, deadline_at,
         last_driven_at, redrive_count, customer_id
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[],
                   $10::text[], $11::text[], $12::timestamptz[], $13::text[], $14::timestamptz[], $15::timestamptz[],
                   $16::timestamptz[], $17::int[], $18::text[])
         AS s(order_id, status, inventory, payment, outcome, reasons, lines, total_amount, currency, payment_method,
              payment_method_ref, payment_method_ref_expires_at, correlation_id, started_at, deadline_at, last_driven_at,
              redrive_count, customer_id)`,
      columnsOf(sagas, (saga) => [
        saga.orderId,
        saga.status,
        saga.inventory,
        saga.payment,
        saga.outcome,
        JSON.stringify(saga.reasons),
        JSON.stringify(saga.lines),
        saga.total.amount,
        saga.total.currency,
        saga.paymentMethod,
        saga.sealedPaymentMethod?.ref ?? null,
        saga.sealedPaymentMethod?.expiresAt ?? null,
        saga.correlationId,
        saga.startedAt,
        saga.deadlineAt,
        saga.lastDrivenAt,
        saga.redriveCount,
        saga.customerId,
      ]),
    );
  }

  /** Locks the saga row for the rest of the transaction: one reply at a time per order. */
  async lock(manager: EntityManager, orderId: string): Promise<OrderSagaState | undefined> {
    return (await this.lockMany(manager, [orderId])).get(orderId);
  }

  /** Locks the sagas of the orders, in order id order so that concurrent batches queue instead of deadlocking. */
  async lockMany(manager: EntityManager, orderIds: readonly string[]): Promise<Map<string, OrderSagaState>> {
    const rows: OrderSagaRow[] = await manager.query(
      'SELECT * FROM ordering.order_saga WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE',
      [orderIds],
    );
    return new Map(rows.map((row) => [row.order_id, toState(row)]));
  }

  async update(manager: EntityManager, saga: OrderSagaState): Promise<void> {
    await this.updateMany(manager, [saga]);
  }

  async updateMany(manager: EntityManager, sagas: readonly OrderSagaState[]): Promise<void> {
    if (sagas.length === 0) return;
    await manager.query(
      `UPDATE ordering.order_saga s SET status = u.status, inventory = u.inventory, payment = u.payment,
         outcome = u.outcome, reasons = u.reasons::jsonb, payment_method_ref = u.payment_method_ref,
         payment_method_ref_expires_at = u.payment_method_ref_expires_at, deadline_at = u.deadline_at,
         last_driven_at = u.last_driven_at, redrive_count = u.redrive_count, finished_at = u.finished_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                   $9::timestamptz[], $10::timestamptz[], $11::int[], $12::timestamptz[])
         AS u(order_id, status, inventory, payment, outcome, reasons, payment_method_ref, payment_method_ref_expires_at,
              deadline_at, last_driven_at, redrive_count, finished_at)
       WHERE s.order_id = u.order_id`,
      columnsOf(sagas, (saga) => [
        saga.orderId,
        saga.status,
        saga.inventory,
        saga.payment,
        saga.outcome,
        JSON.stringify(saga.reasons),
        saga.sealedPaymentMethod?.ref ?? null,
        saga.sealedPaymentMethod?.expiresAt ?? null,
        saga.deadlineAt,
        saga.lastDrivenAt,
        saga.redriveCount,
        saga.finishedAt,
      ]),
    );
  }

  /** Orders placed and not decided yet. */
  async countRunning(manager: EntityManager): Promise<number> {
    const [row]: { n: number }[] = await manager.query(`SELECT count(*)::int AS n FROM ordering.order_saga WHERE status = 'RUNNING'`);
    return row.n;
  }

  /**
   * Running sagas whose deadline has passed. One whose messages are still queued behind others
   * (in the outbox, or at the broker when its contexts run in several processes) is not late,
   * only waiting: it is left until they are handled.
   */
  async findExpired(manager: EntityManager, limit: number, traffic: SagaTraffic): Promise<string[]> {
    const rows: { order_id: string }[] = await manager.query(
      `SELECT order_id FROM ordering.order_saga
       WHERE status = 'RUNNING' AND deadline_at <= now() AND NOT ${hasQueuedMessages('order_id')}
         AND NOT ${hasUnhandledPublishedMessages('order_id', '$2', '$3')}
       ORDER BY deadline_at LIMIT $1`,
      [limit, traffic.types, traffic.consumers],
    );
    return rows.map((r) => r.order_id);
  }

  /**
   * Running sagas still inside their deadline whose requests were last sent long ago and are not
   * merely queued or being handled. Each further re-drive of an order waits twice as long (up to 16 times): a
   * request that was delivered and is waiting (a payment parked while its provider is down) is
   * not sent again and again, each copy adding to the load that delays it.
   */
  async findStalled(manager: EntityManager, olderThanMs: number, limit: number, traffic: SagaTraffic): Promise<string[]> {
    const rows: { order_id: string }[] = await manager.query(
      `SELECT order_id FROM ordering.order_saga
       WHERE status = 'RUNNING' AND deadline_at > now() AND last_driven_at <= now() - ${REDRIVE_WAIT}
         AND NOT ${hasQueuedMessages('order_id')} AND NOT ${hasUnhandledPublishedMessages('order_id', '$3', '$4')}
       ORDER BY last_driven_at LIMIT $2`,
      [olderThanMs, limit, traffic.types, traffic.consumers],
    );
    return rows.map((r) => r.order_id);
  }

  /**
   * Confirmed orders whose capture or stock commit has not been acknowledged long after it was
   * asked for, with nothing of theirs left in the outbox or unhandled at the broker: the request
   * or its answer was lost on the way. Each further re-drive of an order waits twice as long (up to 16 times).
   */
  async findUnacknowledged(manager: EntityManager, olderThanMs: number, limit: number, traffic: SagaTraffic): Promise<string[]> {
    const rows: { order_id: string }[] = await manager.query(
      `SELECT s.order_id FROM ordering.order_view v JOIN ordering.order_saga s ON s.order_id = v.id
       WHERE v.status = 'CONFIRMED' AND s.status = 'DONE'
         AND greatest(s.last_driven_at, s.finished_at) <= now() - ${REDRIVE_WAIT}
         AND NOT ${hasUndeliveredMessages('s.order_id')} AND NOT ${hasUnhandledPublishedMessages('s.order_id', '$3', '$4')}
       ORDER BY s.last_driven_at LIMIT $2`,
      [olderThanMs, limit, traffic.types, traffic.consumers],
    );
    return rows.map((r) => r.order_id);
  }
}
