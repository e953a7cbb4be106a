import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
import { PaymentView } from '../application/payment.view';
import { Money, Payment, PaymentStatus } from '../domain/payment';

interface PaymentRow {
  id: string;
  order_id: string;
  status: PaymentStatus;
  amount: string | number | null;
  currency: string | null;
  method: string | null;
  attempts: number;
  decline_reason: string | null;
  provider_ref: string | null;
  created_at: Date;
  updated_at: Date;
}

function moneyOf(row: PaymentRow): Money | null {
  return row.amount === null || row.currency === null ? null : { amount: Number(row.amount), currency: row.currency };
}

function toPayment(row: PaymentRow): Payment {
  return Payment.restore({
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    amount: moneyOf(row),
    method: row.method,
    attempts: row.attempts,
    declineReason: row.decline_reason,
    providerRef: row.provider_ref,
  });
}

function toView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    amount: moneyOf(row),
    method: row.method,
    attempts: row.attempts,
    declineReason: row.decline_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `payments.payment`, one row per order. Writes take the transaction's manager. */
@Injectable()
export class PaymentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async viewsOf(orderId: string): Promise<PaymentView[]> {
    const rows = await this.dataSource.query<PaymentRow[]>(
      'SELECT * FROM payments.payment WHERE order_id = $1 ORDER BY created_at, id',
      [orderId],
    );
    return rows.map(toView);
  }

  /** Locks the order's payment, if it has one, until the transaction ends. */
  async lock(manager: EntityManager, orderId: string): Promise<Payment | undefined> {
    const [row] = await manager.query<PaymentRow[]>('SELECT * FROM payments.payment WHERE order_id = $1 FOR UPDATE', [
      orderId,
    ]);
    return row ? toPayment(row) : undefined;
  }

  /**
   * Locks the order's payment, creating it with `create` when there is none. `created` is false
   * when the payment existed, including when a concurrent transaction inserted it first.
   */
  async lockOrCreate(
    manager: EntityManager,
    orderId: string,
    create: () => Payment,
  ): Promise<{ payment: Payment; created: boolean }> {
    const existing = await this.lock(manager, orderId);
    if (existing) return { payment: existing, created: false };
    const payment = create();
    if (await this.insert(manager, payment)) return { payment, created: true };
    const inserted = await this.lock(manager, orderId);
    if (!inserted) throw new Error(`payment of order ${orderId} conflicted on insert but cannot be found`);
    return { payment: inserted, created: false };
  }

  /** Writes the payment's state, provided its row still has `expectedStatus`. */
  async save(manager: EntityManager, payment: Payment, expectedStatus: PaymentStatus): Promise<void> {
    const state = payment.toState();
    const rows = rowsOf<unknown>(
      await manager.query(
        `UPDATE payments.payment
         SET status = $3, attempts = $4, decline_reason = $5, provider_ref = $6, updated_at = now()
         WHERE id = $1 AND status = $2 RETURNING id`,
        [state.id, expectedStatus, state.status, state.attempts, state.declineReason, state.providerRef],
      ),
    );
    // Callers hold the row lock, so the status cannot have moved under them.
    if (rows.length !== 1) throw new Error(`payment ${state.id} is no longer ${expectedStatus}`);
  }

  private async insert(manager: EntityManager, payment: Payment): Promise<boolean> {
    const state = payment.toState();
    const rows = await manager.query<unknown[]>(
      `INSERT INTO payments.payment
         (id, order_id, status, amount, currency, method, attempts, decline_reason, provider_ref)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      [
        state.id,
        state.orderId,
        state.status,
        state.amount?.amount ?? null,
        state.amount?.currency ?? null,
        state.method,
        state.attempts,
        state.declineReason,
        state.providerRef,
      ],
    );
    return rows.length === 1;
  }
}
