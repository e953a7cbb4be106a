import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, rowsOf } from '../../../../libs/persistence';
import { PaymentView, TransferRequestView } from '../application/payment.view';
import { TransferRequestStatus } from '../domain/transfer-request';
import { Money, Parking, Payment, PaymentProviderName, PaymentStatus } from '../domain/payment';

interface PaymentRow {
  id: string;
  order_id: string;
  customer_id: string | null;
  status: PaymentStatus;
  amount: string | number | null;
  currency: string | null;
  method: string | null;
  provider: PaymentProviderName | null;
  attempts: number;
  decline_reason: string | null;
  provider_ref: string | null;
  parked_until: Date | null;
  payment_method_ref: string | null;
  payment_method_ref_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function moneyOf(row: PaymentRow): Money | null {
  return row.amount === null || row.currency === null ? null : { amount: Number(row.amount), currency: row.currency };
}

function parkingOf(row: PaymentRow): Parking | null {
  if (row.parked_until === null || row.payment_method_ref === null || row.payment_method_ref_expires_at === null) return null;
  return {
    until: new Date(row.parked_until),
    paymentMethod: { sealed: row.payment_method_ref, expiresAt: new Date(row.payment_method_ref_expires_at).toISOString() },
  };
}

function toPayment(row: PaymentRow): Payment {
  return Payment.restore({
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    amount: moneyOf(row),
    method: row.method,
    provider: row.provider,
    attempts: row.attempts,
    declineReason: row.decline_reason,
    providerRef: row.provider_ref,
    parking: parkingOf(row),
  });
}

/** A payment row with its transfer request's columns, when it has one (`tr_` prefixed). */
interface PaymentViewRow extends PaymentRow {
  tr_chain_id: number | null;
  tr_token: string;
  tr_token_address: string;
  tr_receiving_address: string;
  tr_amount: string;
  tr_received: string;
  tr_status: TransferRequestStatus;
  tr_expires_at: Date;
  tr_payer: string | null;
}

function transferRequestOf(row: PaymentViewRow): TransferRequestView | null {
  if (row.tr_chain_id === null) return null;
  return {
    chainId: row.tr_chain_id,
    token: row.tr_token,
    tokenAddress: row.tr_token_address,
    receivingAddress: row.tr_receiving_address,
    amount: row.tr_amount,
    received: row.tr_received,
    status: row.tr_status,
    expiresAt: row.tr_expires_at,
    payer: row.tr_payer,
  };
}

function toView(row: PaymentViewRow): PaymentView {
  return {
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    amount: moneyOf(row),
    method: row.method,
    provider: row.provider,
    attempts: row.attempts,
    declineReason: row.decline_reason,
    transferRequest: transferRequestOf(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `payments.payment`, one row per order. Writes take the transaction's manager. */
@Injectable()
export class PaymentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The order's payments; only those of `customerId` when set. */
  async viewsOf(orderId: string, customerId?: string): Promise<PaymentView[]> {
    const rows = await this.dataSource.query<PaymentViewRow[]>(
      `SELECT p.*, t.chain_id AS tr_chain_id, t.token AS tr_token, t.token_address AS tr_token_address,
              t.receiving_address AS tr_receiving_address, t.amount::text AS tr_amount, t.received::text AS tr_received,
              t.status AS tr_status, t.expires_at AS tr_expires_at, t.payer AS tr_payer
         FROM payments.payment p LEFT JOIN payments.transfer_request t ON t.payment_id = p.id
        WHERE p.order_id = $1 AND ($2::text IS NULL OR p.customer_id = $2) ORDER BY p.created_at, p.id`,
      [orderId, customerId ?? null],
    );
    return rows.map(toView);
  }

  /**
   * The orders' payments as committed, by order id, without a lock or a transaction: for a step
   * that only decides what to ask a provider, whose last step locks and checks again.
   */
  async ofOrders(orderIds: readonly string[]): Promise<Map<string, Payment>> {
    const rows = await this.dataSource.query<PaymentRow[]>('SELECT * FROM payments.payment WHERE order_id = ANY($1::uuid[])', [orderIds]);
    return byOrder(rows);
  }

  /** Locks the payment with this id, when there is one. */
  async lock(manager: EntityManager, paymentId: string): Promise<Payment | undefined> {
    const [row] = await manager.query<PaymentRow[]>('SELECT * FROM payments.payment WHERE id = $1 FOR UPDATE', [paymentId]);
    return row && toPayment(row);
  }

  /** Locks the orders' payments that exist, in order id order. */
  async lockMany(manager: EntityManager, orderIds: readonly string[]): Promise<Map<string, Payment>> {
    const rows = await manager.query<PaymentRow[]>(
      'SELECT * FROM payments.payment WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE',
      [orderIds],
    );
    return byOrder(rows);
  }

  /**
   * Locks the payment of `provider` whose stored reference is one of `references` (a provider that
   * does not echo our ids names its authorization or capture); none when no payment, or more than one, has one.
   */
  async lockByProviderReference(manager: EntityManager, provider: PaymentProviderName, references: readonly string[]): Promise<Payment | undefined> {
    const rows = await manager.query<PaymentRow[]>(
      'SELECT * FROM payments.payment WHERE provider = $1 AND provider_ref = ANY($2::text[]) ORDER BY id LIMIT 2 FOR UPDATE',
      [provider, references],
    );
    return rows.length === 1 ? toPayment(rows[0]) : undefined;
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
    return (await this.lockOrCreateMany(manager, [orderId], create)).get(orderId)!;
  }

  async lockOrCreateMany(
    manager: EntityManager,
    orderIds: readonly string[],
    create: (orderId: string) => Payment,
  ): Promise<Map<string, { payment: Payment; created: boolean }>> {
    const unique = [...new Set(orderIds)].sort();
    const existing = await this.lockMany(manager, unique);
    const result = new Map([...existing].map(([orderId, payment]) => [orderId, { payment, created: false }]));
    const fresh = unique.filter((orderId) => !existing.has(orderId)).map((orderId) => create(orderId));
    const inserted = await this.insertMany(manager, fresh);
    fresh.filter((payment) => inserted.has(payment.orderId)).forEach((payment) => result.set(payment.orderId, { payment, created: true }));
    const lost = fresh.filter((payment) => !inserted.has(payment.orderId)).map((payment) => payment.orderId);
    if (lost.length > 0) {
      // A concurrent transaction inserted these first.
      const theirs = await this.lockMany(manager, lost);
      for (const orderId of lost) {
        const payment = theirs.get(orderId);
        if (!payment) throw new Error(`payment of order ${orderId} conflicted on insert but cannot be found`);
        result.set(orderId, { payment, created: false });
      }
    }
    return result;
  }

  /** Writes the payment's state, provided its row still has `expectedStatus`. */
  async save(manager: EntityManager, payment: Payment, expectedStatus: PaymentStatus): Promise<void> {
    await this.saveMany(manager, [{ payment, expectedStatus }]);
  }

  async saveMany(manager: EntityManager, changes: readonly { payment: Payment; expectedStatus: PaymentStatus }[]): Promise<void> {
    if (changes.length === 0) return;
    const rows = rowsOf<unknown>(
      await manager.query(
        `UPDATE payments.payment p
         SET status = u.status, attempts = u.attempts, decline_reason = u.decline_reason, provider_ref = u.provider_ref,
             parked_until = u.parked_until, payment_method_ref = u.payment_method_ref,
             payment_method_ref_expires_at = u.payment_method_ref_expires_at, resume_leased_until = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::timestamptz[])
           AS u(id, expected_status, status, attempts, decline_reason, provider_ref, parked_until, payment_method_ref,
                payment_method_ref_expires_at)
         WHERE p.id = u.id AND p.status = u.expected_status RETURNING p.id`,
        columnsOf(changes, ({ payment, expectedStatus }) => {
          const state = payment.toState();
          return [
            state.id,
            expectedStatus,
            state.status,
            state.attempts,
            state.declineReason,
            state.providerRef,
            state.parking?.until.toISOString() ?? null,
            state.parking?.paymentMethod.sealed ?? null,
            state.parking?.paymentMethod.expiresAt ?? null,
          ];
        }),
      ),
    );
    // Callers hold the row locks, so no status can have moved under them.
    if (rows.length !== changes.length) throw new Error(`${changes.length - rows.length} payments are no longer in their expected status`);
  }

  /**
   * Leases up to `limit` PARKED payments of the provider whose deadline has not passed and that no
   * process is resuming, oldest deadline first, for `leaseMs`; in one statement, so two processes
   * never lease the same payment. Saving a payment ends its lease; a process that dies mid-resume
   * leaves it to expire, and the payment is resumed again.
   */
  async leaseParked(provider: PaymentProviderName, limit: number, leaseMs: number): Promise<Payment[]> {
    const rows = await this.dataSource.query<PaymentRow[]>(
      `UPDATE payments.payment SET resume_leased_until = now() + $3 * interval '1 millisecond'
       WHERE id IN (
         SELECT id FROM payments.payment
         WHERE status = 'PARKED' AND provider = $1 AND parked_until > now()
           AND (resume_leased_until IS NULL OR resume_leased_until < now())
         ORDER BY parked_until LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [provider, limit, leaseMs],
    );
    return rowsOf<PaymentRow>(rows).map(toPayment);
  }

  /** Locks up to `limit` PARKED payments past their deadline that no process is resuming; rows locked elsewhere are skipped. */
  async lockOverdueParked(manager: EntityManager, limit: number): Promise<Payment[]> {
    const rows = await manager.query<PaymentRow[]>(
      `SELECT * FROM payments.payment
       WHERE status = 'PARKED' AND parked_until <= now() AND (resume_leased_until IS NULL OR resume_leased_until < now())
       ORDER BY parked_until LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toPayment);
  }

  /** How many payments are PARKED, per provider (providers with none are absent). */
  async parkedCounts(): Promise<Map<PaymentProviderName, number>> {
    const rows = await this.dataSource.query<{ provider: PaymentProviderName; parked: number }[]>(
      `SELECT provider, count(*)::int AS parked FROM payments.payment WHERE status = 'PARKED' GROUP BY provider`,
    );
    return new Map(rows.map((row) => [row.provider, row.parked]));
  }

  /** Inserts the payments of orders that have none; returns the order ids inserted. */
  private async insertMany(manager: EntityManager, payments: readonly Payment[]): Promise<Set<string>> {
    if (payments.length === 0) return new Set();
    const rows = await manager.query<{ order_id: string }[]>(
      `INSERT INTO payments.payment (id, order_id, status, amount, currency, method, attempts, decline_reason, provider_ref, customer_id,
                                     provider)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[],
                            $10::text[], $11::text[])
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      columnsOf(payments, (payment) => {
        const state = payment.toState();
        return [
          state.id,
          state.orderId,
          state.status,
          state.amount?.amount ?? null,
          state.amount?.currency ?? null,
          state.method,
          state.attempts,
          state.declineReason,
          state.providerRef,
          state.customerId,
          state.provider,
        ];
      }),
    );
    return new Set(rows.map((row) => row.order_id));
  }
}

/** Payments by their order's id. */
function byOrder(rows: readonly PaymentRow[]): Map<string, Payment> {
  return new Map(rows.map((row) => [row.order_id, toPayment(row)]));
}
