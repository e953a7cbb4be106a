import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter, Histogram } from 'prom-client';
import { OrderCancelledV1, OrderCompletedV1, OrderConfirmedV1, OrderRejectedV1 } from '../../../../../libs/contracts/ordering';
import { CommitReservationV1, ReleaseReservationV1, ReserveStockV1 } from '../../../../../libs/contracts/inventory';
import { AuthorizePaymentV2, CapturePaymentV1, VoidPaymentV1 } from '../../../../../libs/contracts/payments';
import { failpoints } from '../../../../../libs/failpoints';
import { MessageContext, Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { Order } from '../../domain/order';
import { OrderEvent, PaymentTransferRequest } from '../../domain/order-events';
import { OrderRepository } from '../../infrastructure/order.repository';
import { OrderSagaRepository } from '../../infrastructure/order-saga.repository';
import { PaymentMethodSealer } from '../../infrastructure/payment-method-sealer';
import { decide, InventoryAction, PaymentAction, SagaOutcome } from './decision-matrix';
import { OrderSagaState } from './order-saga.state';
import { SAGA_OPTIONS, SagaOptions } from './saga-options';

export type Participant = 'inventory' | 'payment';

export interface ParticipantReply {
  participant: Participant;
  accepted: boolean;
  /** Why a participant said no. */
  reason?: string;
  paymentId?: string;
}

const FINAL_EVENT: Record<SagaOutcome, 'OrderConfirmed' | 'OrderRejected' | 'OrderRolledBack'> = {
  CONFIRMED: 'OrderConfirmed',
  REJECTED: 'OrderRejected',
  ROLLED_BACK: 'OrderRolledBack',
};

function replyEvent(reply: ParticipantReply): Exclude<OrderEvent, { type: 'OrderPlaced' }> {
  if (reply.participant === 'inventory') {
    return reply.accepted
      ? { type: 'StockReserved', data: {} }
      : { type: 'StockReservationRejected', data: { reason: reply.reason ?? 'unknown' } };
  }
  return reply.accepted
    ? { type: 'PaymentAuthorized', data: { paymentId: reply.paymentId ?? '' } }
    : { type: 'PaymentDeclined', data: { reason: reply.reason ?? 'unknown' } };
}

/**
 * What an order hears after its participants' first answers: its payment parked while the
 * provider is unavailable, and, once CONFIRMED, whether the capture and the stock commit went through.
 */
export type OrderProgress =
  | { kind: 'payment-parked'; parkedUntil: Date }
  | { kind: 'payment-transfer-requested'; request: PaymentTransferRequest }
  | { kind: 'payment-captured' }
  | { kind: 'stock-committed' }
  | { kind: 'capture-failed'; reason: string };

/** Changes a saga (and its order); true when it changed something. */
type SagaStep = (tx: Transaction, saga: OrderSagaState, order: Order, now: Date) => boolean;

interface SagaMove {
  orderId: string;
  step: SagaStep;
  cause?: object;
}

/**
 * The place-order process manager (DESIGN §4). Inventory and payments are asked in parallel;
 * each reply is recorded under a lock on the saga row, and once the decision matrix can
 * decide, the order gets its final event and every step gets its forward action or its
 * compensation, all in one transaction with the outgoing messages.
 */
@Injectable()
export class PlaceOrderSaga {
  private readonly logger = new Logger(PlaceOrderSaga.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrderRepository,
    private readonly sagas: OrderSagaRepository,
    private readonly paymentMethods: PaymentMethodSealer,
    @Inject(SAGA_OPTIONS) private readonly options: SagaOptions,
    @InjectMetric('orders_decided_total') private readonly ordersDecided: Counter<'outcome'>,
    @InjectMetric('order_processing_duration_seconds') private readonly processingDuration: Histogram<'outcome'>,
    @InjectMetric('order_revenue_minor_units_total') private readonly revenue: Counter<'currency'>,
    @InjectMetric('orders_closed_total') private readonly ordersClosed: Counter,
  ) {}

  /**
   * Starts the sagas of just-placed orders inside the transaction that places them. `cause`:
   * what placed each order, whose origin its requests carry. The payment token is sealed for
   * payments here and kept only sealed.
   */
  async startMany(tx: Transaction, placed: readonly { order: Order; paymentToken: string; cause: object }[], now: Date): Promise<void> {
    const sagas = placed.map(({ order, paymentToken, cause }): OrderSagaState => {
      const state = order.state;
      return {
        orderId: state.id,
        customerId: state.customerId,
        status: 'RUNNING',
        inventory: 'PENDING',
        payment: 'PENDING',
        outcome: null,
        reasons: [],
        lines: state.lines,
        total: state.total,
        paymentMethod: state.paymentMethod,
        sealedPaymentMethod: this.paymentMethods.seal(state.id, paymentToken, now),
        correlationId: MessageContext.originOf(cause).correlationId,
        startedAt: now,
        deadlineAt: new Date(now.getTime() + this.options.deadlineMs),
        lastDrivenAt: now,
        redriveCount: 0,
        finishedAt: null,
      };
    });
    await this.sagas.insertMany(tx.manager, sagas);
    sagas.forEach((saga, i) => this.request(tx, saga, placed[i].cause));
  }

  /**
   * A reply decides only with the other one: past the deadline the order still waits for it,
   * since the sweeper ends a saga only once its messages are no longer queued behind others.
   */
  async onReply(orderId: string, reply: ParticipantReply): Promise<void> {
    await this.onReplies([{ orderId, reply }]);
  }

  /**
   * Replies for many orders in one unit of work: one lock statement and one write per table.
   * `cause`: the command each reply came as, so that what it sets off names it as its cause.
   */
  async onReplies(replies: readonly { orderId: string; reply: ParticipantReply; cause?: object }[]): Promise<void> {
    await this.advance(
      replies.map(({ orderId, reply, cause }) => ({
        orderId,
        cause,
        step: (tx, saga, order, now) => {
          const field = reply.participant;
          if (saga.status === 'DONE') {
            this.compensateLateAcceptance(tx, saga, reply, cause);
            return false;
          }
          if (saga[field] !== 'PENDING') return false; // a re-driven request answered twice
          saga[field] = reply.accepted ? 'ACCEPTED' : 'REJECTED';
          if (!reply.accepted) saga.reasons.push(`${field}: ${reply.reason ?? 'rejected'}`);
          order.record(replyEvent(reply), now);
          return true;
        },
      })),
      false,
    );
  }

  /** Progress of many orders in one unit of work, as `onReplies`. */
  async onProgress(updates: readonly { orderId: string; progress: OrderProgress; cause?: object }[]): Promise<void> {
    await this.advance(
      updates.map(({ orderId, progress, cause }) => ({ orderId, cause, step: (tx, saga, order, now) => this.progress(tx, saga, order, progress, now, cause) })),
      false,
    );
  }

  async onDeadline(orderId: string): Promise<void> {
    const step: SagaStep = (_tx, saga, _order, now) => {
      if (saga.status === 'DONE' || saga.deadlineAt > now) return false;
      (['inventory', 'payment'] as const)
        .filter((field) => saga[field] === 'PENDING')
        .forEach((field) => saga.reasons.push(`${field}: no reply within ${this.options.deadlineMs} ms`));
      return true;
    };
    await this.advance([{ orderId, step }], true);
  }

  /**
   * Sends the requests still unanswered again: a running saga's, or a confirmed order's capture
   * and stock commit not acknowledged yet. Participants are idempotent per order and answer a
   * repeated request again.
   */
  async redrive(orderId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const saga = await this.sagas.lock(tx.manager, orderId);
      if (!saga) return;
      const order = saga.status === 'DONE' ? (await this.orders.loadMany(tx.manager, [orderId])).get(orderId) : undefined;
      if (saga.status === 'DONE' && order?.state.status !== 'CONFIRMED') return;
      MessageContext.run({ correlationId: saga.correlationId, causationId: null, traceparent: null }, () => {
        if (!order) return this.request(tx, saga);
        const { paymentCaptured, stockCommitted } = order.state;
        this.dispatchActions(tx, orderId, { inventory: stockCommitted ? 'NONE' : 'COMMIT', payment: paymentCaptured ? 'NONE' : 'CAPTURE' });
      });
      saga.lastDrivenAt = new Date();
      saga.redriveCount += 1;
      await this.sagas.update(tx.manager, saga);
      this.logger.warn(`re-drove order ${orderId} (time ${saga.redriveCount})`);
    });
  }

  private request(tx: Transaction, saga: OrderSagaState, cause?: object): void {
    const { orderId } = saga;
    if (saga.inventory === 'PENDING') {
      tx.publish(
        new ReserveStockV1({ orderId, lines: saga.lines.map(({ productId, quantity }) => ({ productId, quantity })) }),
        orderId,
        cause,
      );
    }
    // A saga started before tokens were sealed has none to send again: its first request stands, or the deadline decides.
    if (saga.payment === 'PENDING' && saga.sealedPaymentMethod) {
      const { ref, expiresAt } = saga.sealedPaymentMethod;
      tx.publish(
        new AuthorizePaymentV2({
          orderId,
          customerId: saga.customerId,
          amount: saga.total,
          method: saga.paymentMethod,
          paymentMethodRef: ref,
          paymentMethodRefExpiresAt: expiresAt.toISOString(),
        }),
        orderId,
        cause,
      );
    }
  }

  private progress(tx: Transaction, saga: OrderSagaState, order: Order, progress: OrderProgress, now: Date, cause?: object): boolean {
    const { orderId } = saga;
    if (progress.kind === 'payment-parked') {
      // A re-driven request is answered with the same parking: nothing new to record.
      if (saga.status === 'DONE' || saga.payment !== 'PENDING' || order.state.paymentParkedUntil === progress.parkedUntil.toISOString()) return false;
      order.record({ type: 'PaymentParked', data: { parkedUntil: progress.parkedUntil.toISOString() } }, now);
      this.awaitPaymentUntil(saga, progress.parkedUntil);
      return true;
    }
    if (progress.kind === 'payment-transfer-requested') {
      // A re-driven request is answered with the same transfer request: nothing new to record.
      if (saga.status === 'DONE' || saga.payment !== 'PENDING' || order.state.paymentTransferRequest) return false;
      order.record({ type: 'PaymentTransferRequested', data: progress.request }, now);
      this.awaitPaymentUntil(saga, new Date(progress.request.expiresAt));
      return true;
    }
    if (order.state.status !== 'CONFIRMED') {
      this.logger.warn(`order ${orderId} is ${order.state.status}: ${progress.kind} ignored`);
      return false;
    }
    if (progress.kind === 'capture-failed') {
      order.cancelForFailedCapture(progress.reason, now);
      this.logger.warn(`order ${orderId} cancelled: its payment could not be captured (${progress.reason})`);
      // Inventory returns committed stock as well as held stock; payments releases the authorization.
      this.dispatchActions(tx, orderId, { inventory: 'RELEASE', payment: 'VOID' }, cause);
      const { customerId, total, reasons } = order.state;
      tx.publish(new OrderCancelledV1({ orderId, customerId, total, reasons }), orderId, cause);
      tx.afterCommit(() => this.ordersClosed.inc({ outcome: 'CANCELLED' }));
      return true;
    }
    const versionBefore = order.state.version;
    const completed = order.acknowledge(progress.kind === 'payment-captured' ? 'PaymentCaptured' : 'StockCommitted', now);
    if (completed) {
      const { customerId, total } = order.state;
      tx.publish(new OrderCompletedV1({ orderId, customerId, total }), orderId, cause);
      tx.afterCommit(() => this.ordersClosed.inc({ outcome: 'COMPLETED' }));
    }
    return order.state.version !== versionBefore;
  }

  /** The payment decides by itself until `until`; only a reply missing past that counts against the order. */
  private awaitPaymentUntil(saga: OrderSagaState, until: Date): void {
    const deadline = new Date(until.getTime() + this.options.deadlineMs);
    if (deadline > saga.deadlineAt) saga.deadlineAt = deadline;
  }

  /** An acceptance after the saga ended without it holds stock or money nobody will use. */
  private compensateLateAcceptance(tx: Transaction, saga: OrderSagaState, reply: ParticipantReply, cause?: object): void {
    if (!reply.accepted || saga.outcome === 'CONFIRMED') return;
    this.logger.warn(`late ${reply.participant} acceptance for ${saga.outcome} order ${saga.orderId}: compensating`);
    const actions = { inventory: reply.participant === 'inventory' ? 'RELEASE' : 'NONE', payment: reply.participant === 'payment' ? 'VOID' : 'NONE' } as const;
    this.dispatchActions(tx, saga.orderId, actions, cause);
  }

  /**
   * Moves each order's saga with its step, under locks on their rows (taken in order id order);
   * when a step changed something and the matrix can decide (`expiring`: a missing reply counts
   * as a rejection), ends the order and sends each side its action.
   */
  private async advance(moves: readonly SagaMove[], expiring: boolean): Promise<void> {
    await this.uow.run(async (tx) => {
      const orderIds = [...new Set(moves.map((move) => move.orderId))];
      const sagas = await this.sagas.lockMany(tx.manager, orderIds);
      const orders = await this.orders.loadMany(tx.manager, orderIds);
      const now = new Date();
      const changed = new Map<string, { saga: OrderSagaState; order: Order }>();
      for (const { orderId, cause, step } of moves) {
        const saga = sagas.get(orderId);
        const order = orders.get(orderId);
        if (!saga || !order) {
          this.logger.warn(`no saga for order ${orderId}; ignoring`);
          continue;
        }
        if (!step(tx, saga, order, now)) continue;
        changed.set(orderId, { saga, order });
        if (saga.status !== 'RUNNING') continue;
        const decision = decide(saga.inventory, saga.payment, expiring);
        if (decision.outcome === 'WAIT') continue;
        saga.status = 'DONE';
        saga.outcome = decision.outcome;
        saga.finishedAt = now;
        // Nothing asks for the payment again: the sealed token is kept no longer than needed.
        saga.sealedPaymentMethod = null;
        order.record(
          decision.outcome === 'CONFIRMED'
            ? { type: 'OrderConfirmed', data: {} }
            : { type: FINAL_EVENT[decision.outcome] as 'OrderRejected' | 'OrderRolledBack', data: { reasons: saga.reasons } },
          now,
        );
        this.dispatchActions(tx, orderId, decision, cause);
        this.announce(tx, order, saga, cause);
        tx.afterCommit(() => this.observeDecision(saga));
      }
      const moved = [...changed.values()];
      if (failpoints.armed) {
        const decided = moved.some(({ saga }) => saga.status === 'DONE');
        tx.afterCommit(async () => {
          if (!expiring) await failpoints.reach('after-reply-commit');
          if (decided) await failpoints.reach('after-decision-commit');
        });
      }
      await this.orders.saveMany(tx.manager, moved.map(({ saga, order }) => ({ order, correlationId: saga.correlationId })));
      await this.sagas.updateMany(tx.manager, moved.map(({ saga }) => saga));
    });
  }

  private observeDecision({ outcome, startedAt, finishedAt, total }: OrderSagaState): void {
    if (!outcome) return;
    this.ordersDecided.inc({ outcome });
    this.processingDuration.observe({ outcome }, ((finishedAt?.getTime() ?? Date.now()) - startedAt.getTime()) / 1000);
    if (outcome === 'CONFIRMED') this.revenue.inc({ currency: total.currency }, total.amount);
  }

  /** Forward actions for a confirmed order, compensations otherwise; each only where it applies. */
  private dispatchActions(
    tx: Transaction,
    orderId: string,
    { inventory, payment }: { inventory: InventoryAction; payment: PaymentAction },
    cause?: object,
  ): void {
    if (inventory === 'COMMIT') tx.publish(new CommitReservationV1({ orderId }), orderId, cause);
    if (inventory === 'RELEASE') tx.publish(new ReleaseReservationV1({ orderId }), orderId, cause);
    if (payment === 'CAPTURE') tx.publish(new CapturePaymentV1({ orderId }), orderId, cause);
    if (payment === 'VOID') tx.publish(new VoidPaymentV1({ orderId }), orderId, cause);
  }

  private announce(tx: Transaction, order: Order, saga: OrderSagaState, cause?: object): void {
    const { id: orderId, customerId, total, lines } = order.state;
    if (saga.outcome === 'CONFIRMED') {
      tx.publish(new OrderConfirmedV1({ orderId, customerId, total, lines }), orderId, cause);
    } else if (saga.outcome) {
      tx.publish(new OrderRejectedV1({ orderId, customerId, status: saga.outcome, reasons: saga.reasons }), orderId, cause);
    }
  }
}

