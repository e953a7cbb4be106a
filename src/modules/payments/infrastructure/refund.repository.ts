import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
import { RefundView } from '../application/refund.view';
import { PaymentProviderName } from '../domain/payment';
import { Refund, RefundStatus } from '../domain/refund';

interface RefundRow {
  id: string;
  payment_id: string;
  amount: string | number;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  idempotency_key: string;
  requested_by: string;
  provider_ref: string | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

function toRefund(row: RefundRow): Refund {
  return Refund.restore({
    id: row.id,
    paymentId: row.payment_id,
    amount: { amount: Number(row.amount), currency: row.currency },
    status: row.status,
    reason: row.reason,
    idempotencyKey: row.idempotency_key,
    requestedBy: row.requested_by,
    providerRef: row.provider_ref,
    failureReason: row.failure_reason,
  });
}

function toView(row: RefundRow): RefundView {
  const { id, paymentId, amount, status, reason, failureReason } = toRefund(row).toState();
  return { id, paymentId, amount, status, reason, failureReason, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** A PENDING refund, the provider that captured its payment, and that provider's reference of the capture. */
export interface PendingRefund {
  refund: Refund;
  captureRef: string;
  provider: PaymentProviderName;
}

/** What a payment's refunds amount to, in minor units of its currency. */
export interface RefundTotals {
  /** Refunds succeeded or under way: what is no longer refundable. */
  held: number;
  /** Refunds succeeded: what went back to the customer. */
  refunded: number;
}

/**
 * `payments.refund`. Writers hold the lock of the refund's payment row (PaymentRepository.lock),
 * so the totals they read cannot move before they commit.
 */
@Injectable()
export class RefundRepository {
  constructor(private readonly dataSource: DataSource) {}

  async byKey(manager: EntityManager, paymentId: string, idempotencyKey: string): Promise<Refund | undefined> {
    const [row] = await manager.query<RefundRow[]>('SELECT * FROM payments.refund WHERE payment_id = $1 AND idempotency_key = $2', [
      paymentId,
      idempotencyKey,
    ]);
    return row && toRefund(row);
  }

  async byId(manager: EntityManager, refundId: string): Promise<Refund | undefined> {
    const [row] = await manager.query<RefundRow[]>('SELECT * FROM payments.refund WHERE id = $1', [refundId]);
    return row && toRefund(row);
  }

  async viewOf(refundId: string): Promise<RefundView | undefined> {
    const [row] = await this.dataSource.query<RefundRow[]>('SELECT * FROM payments.refund WHERE id = $1', [refundId]);
    return row && toView(row);
  }

  async totalsOf(manager: EntityManager, paymentId: string): Promise<RefundTotals> {
    const [totals] = await manager.query<{ held: string; refunded: string }[]>(
      `SELECT coalesce(sum(amount) FILTER (WHERE status <> 'FAILED'), 0) AS held,
              coalesce(sum(amount) FILTER (WHERE status = 'SUCCEEDED'), 0) AS refunded
       FROM payments.refund WHERE payment_id = $1`,
      [paymentId],
    );
    return { held: Number(totals.held), refunded: Number(totals.refunded) };
  }

  async insert(manager: EntityManager, refund: Refund): Promise<void> {
    const state = refund.toState();
    await manager.query(
      `INSERT INTO payments.refund (id, payment_id, amount, currency, status, reason, idempotency_key, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [state.id, state.paymentId, state.amount.amount, state.amount.currency, state.status, state.reason, state.idempotencyKey, state.requestedBy],
    );
  }

  /** Writes the outcome of a PENDING refund. */
  async settle(manager: EntityManager, refund: Refund): Promise<void> {
    const state = refund.toState();
    const rows = rowsOf<unknown>(
      await manager.query(
        `UPDATE payments.refund SET status = $2, provider_ref = $3, failure_reason = $4, updated_at = now()
         WHERE id = $1 AND status = 'PENDING' RETURNING id`,
        [state.id, state.status, state.providerRef, state.failureReason],
      ),
    );
    // Callers hold the payment's lock, so no other writer can have settled it under them.
    if (rows.length !== 1) throw new Error(`refund ${state.id} is no longer PENDING`);
  }

  /** Refunds PENDING since at least `ageMs` ago, oldest first, with the provider and capture reference of their payment. */
  async pendingFor(ageMs: number, limit: number): Promise<PendingRefund[]> {
    const rows = await this.dataSource.query<(RefundRow & { capture_ref: string; provider: PaymentProviderName })[]>(
      `SELECT r.*, p.provider_ref AS capture_ref, p.provider FROM payments.refund r JOIN payments.payment p ON p.id = r.payment_id
       WHERE r.status = 'PENDING' AND r.updated_at < now() - $1::int * interval '1 millisecond'
       ORDER BY r.updated_at LIMIT $2`,
      [ageMs, limit],
    );
    return rows.map((row) => ({ refund: toRefund(row), captureRef: row.capture_ref, provider: row.provider }));
  }

  /** The payment's refunds, oldest first; undefined when there is no such payment, or it is not `customerId`'s. */
  async viewsOf(paymentId: string, customerId?: string): Promise<RefundView[] | undefined> {
    const visible = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM payments.payment WHERE id = $1 AND ($2::text IS NULL OR customer_id = $2)',
      [paymentId, customerId ?? null],
    );
    if (visible.length === 0) return undefined;
    const rows = await this.dataSource.query<RefundRow[]>('SELECT * FROM payments.refund WHERE payment_id = $1 ORDER BY created_at, id', [
      paymentId,
    ]);
    return rows.map(toView);
  }
}
