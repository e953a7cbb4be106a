import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { Refund } from '../../domain/refund';
import {
  PaymentNotCapturedError,
  PaymentNotFoundError,
  RefundExceedsRefundableError,
  RefundKeyReusedError,
  RefundRefusedError,
} from '../../domain/refund.errors';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PendingRefund, RefundRepository } from '../../infrastructure/refund.repository';
import { RefundPaymentCommand, RefundResult } from './refund-payment.command';
import { RefundSettlement } from './refund-settlement';

/** The refund of this request, whether this key had asked for it before. */
interface Requested extends PendingRefund {
  replayed: boolean;
}

/**
 * Refunds part or all of a captured payment in three steps, as captures do (docs/decisions/0032):
 * 1) under the payment's row lock, records the refund PENDING, which holds its amount, once the
 *    amount fits in the capture less what other refunds hold; so concurrent refunds can never add
 *    up past the capture, whatever the provider does;
 * 2) and 3) RefundSettlement asks the provider under the refund's idempotency key and records the
 *    answer: SUCCEEDED, or FAILED for a refusal for good, which releases the amount.
 * Without an answer (an outage, a timeout, a crash) the refund stays PENDING: the same request
 * again, or PendingRefundSweeper, takes it up at step 2, and the provider replays a refund it made
 * instead of making another.
 */
@CommandHandler(RefundPaymentCommand)
export class RefundPaymentHandler implements ICommandHandler<RefundPaymentCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    private readonly settlement: RefundSettlement,
  ) {}

  async execute(command: RefundPaymentCommand): Promise<RefundResult> {
    const { replayed, ...pending } = await this.unitOfWork.run((tx) => this.request(tx, command));
    const { refund } = pending;
    if (refund.status === 'PENDING') await this.settlement.settle(pending);
    // The refund exists from step 1 on.
    const view = (await this.refunds.viewOf(refund.id))!;
    if (view.status === 'FAILED') throw new RefundRefusedError(view.id, view.failureReason!);
    return { refund: view, replayed };
  }

  private async request(tx: Transaction, { paymentId, amount, reason, idempotencyKey, requestedBy }: RefundPaymentCommand): Promise<Requested> {
    const payment = await this.payments.lock(tx.manager, paymentId);
    if (!payment) throw new PaymentNotFoundError(paymentId);
    const earlier = await this.refunds.byKey(tx.manager, paymentId, idempotencyKey);
    // Only a captured payment has refunds, and a captured payment has its provider and the provider's reference.
    if (earlier) {
      if (!earlier.isSameRequest(amount, reason)) throw new RefundKeyReusedError(paymentId);
      return { refund: earlier, captureRef: payment.providerRef!, provider: payment.provider!, replayed: true };
    }
    const check = payment.checkRefund(amount, (await this.refunds.totalsOf(tx.manager, paymentId)).held);
    if (check.kind === 'not-captured') throw new PaymentNotCapturedError(paymentId, check.status);
    if (check.kind === 'exceeds-refundable') throw new RefundExceedsRefundableError(paymentId, check.refundable);
    const refund = Refund.request(newId(), paymentId, { amount, currency: payment.amount!.currency }, reason, idempotencyKey, requestedBy);
    await this.refunds.insert(tx.manager, refund);
    return { refund, captureRef: payment.providerRef!, provider: payment.provider!, replayed: false };
  }
}
