import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaymentRefundedV1 } from '../../../../../libs/contracts/payments';
import { Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { Refund } from '../../domain/refund';
import {
  PaymentNotCapturedError,
  PaymentNotFoundError,
  RefundExceedsRefundableError,
  RefundKeyReusedError,
  RefundPendingError,
  RefundRefusedError,
} from '../../domain/refund.errors';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { RefundRepository } from '../../infrastructure/refund.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions } from '../../payments.options';
import { PAYMENT_PROVIDER, ProviderError, ProviderRefusedError, ProviderTimeoutError, ProviderUnavailableError } from '../ports/payment-provider';
import type { PaymentProvider } from '../ports/payment-provider';
import { withProviderRetries } from '../provider-retries';
import { RefundPaymentCommand, RefundResult } from './refund-payment.command';

/** A refund of this request, and the provider's reference of the payment it gives back from. */
interface Requested {
  refund: Refund;
  captureRef: string;
  replayed: boolean;
}

type ProviderOutcome = { kind: 'refunded'; reference: string } | { kind: 'refused'; code: string };

/**
 * Refunds part or all of a captured payment in three steps, as captures do (docs/decisions/0032):
 * 1) under the payment's row lock, records the refund PENDING, which holds its amount, once the
 *    amount fits in the capture less what other refunds hold; so concurrent refunds can never add
 *    up past the capture, whatever the provider does;
 * 2) asks the provider outside any transaction, under the refund's idempotency key;
 * 3) under the lock again, records SUCCEEDED (and the payment's new status, and PaymentRefundedV1)
 *    or FAILED for a refusal for good, which releases the amount.
 * Without an answer (an outage, a timeout, a crash) the refund stays PENDING: the same request
 * again takes it up at step 2, and the provider replays a refund it made instead of making another.
 */
@CommandHandler(RefundPaymentCommand)
export class RefundPaymentHandler implements ICommandHandler<RefundPaymentCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
  ) {}

  async execute(command: RefundPaymentCommand): Promise<RefundResult> {
    const { refund, captureRef, replayed } = await this.unitOfWork.run((tx) => this.request(tx, command));
    if (refund.status === 'PENDING') {
      const outcome = await this.askProvider(refund, captureRef);
      await this.unitOfWork.run((tx) => this.record(tx, command.paymentId, refund.id, outcome));
    }
    // The refund exists from step 1 on.
    const view = (await this.refunds.viewOf(refund.id))!;
    if (view.status === 'FAILED') throw new RefundRefusedError(view.id, view.failureReason!);
    return { refund: view, replayed };
  }

  private async request(tx: Transaction, { paymentId, amount, reason, idempotencyKey, requestedBy }: RefundPaymentCommand): Promise<Requested> {
    const payment = await this.payments.lock(tx.manager, paymentId);
    if (!payment) throw new PaymentNotFoundError(paymentId);
    const earlier = await this.refunds.byKey(tx.manager, paymentId, idempotencyKey);
    // Only a captured payment has refunds, and a captured payment has the provider's reference.
    if (earlier) {
      if (!earlier.isSameRequest(amount, reason)) throw new RefundKeyReusedError(paymentId);
      return { refund: earlier, captureRef: payment.providerRef!, replayed: true };
    }
    const check = payment.checkRefund(amount, (await this.refunds.totalsOf(tx.manager, paymentId)).held);
    if (check.kind === 'not-captured') throw new PaymentNotCapturedError(paymentId, check.status);
    if (check.kind === 'exceeds-refundable') throw new RefundExceedsRefundableError(paymentId, check.refundable);
    const refund = Refund.request(newId(), paymentId, { amount, currency: payment.amount!.currency }, reason, idempotencyKey, requestedBy);
    await this.refunds.insert(tx.manager, refund);
    return { refund, captureRef: payment.providerRef!, replayed: false };
  }

  private async askProvider(refund: Refund, captureRef: string): Promise<ProviderOutcome> {
    try {
      const request = { refundId: refund.id, reference: captureRef, amount: refund.amount };
      const reference = await withProviderRetries(() => this.provider.refund(request), this.options);
      return { kind: 'refunded', reference };
    } catch (error) {
      if (error instanceof ProviderRefusedError) return { kind: 'refused', code: error.code };
      // The provider may or may not have refunded: the refund stays PENDING for the request to be repeated.
      if (error instanceof ProviderError || error instanceof ProviderUnavailableError || error instanceof ProviderTimeoutError) {
        throw new RefundPendingError(refund.id);
      }
      throw error;
    }
  }

  private async record(tx: Transaction, paymentId: string, refundId: string, outcome: ProviderOutcome): Promise<void> {
    const payment = (await this.payments.lock(tx.manager, paymentId))!;
    const refund = (await this.refunds.byId(tx.manager, refundId))!;
    const settled = outcome.kind === 'refunded' ? refund.succeed(outcome.reference) : refund.fail(outcome.code);
    // A repetition of the request running alongside recorded the same answer first.
    if (!settled) return;
    await this.refunds.settle(tx.manager, refund);
    if (refund.status !== 'SUCCEEDED') return;
    const before = payment.status;
    const { refunded } = await this.refunds.totalsOf(tx.manager, paymentId);
    const paymentStatus = payment.recordRefunded(refunded);
    await this.payments.save(tx.manager, payment, before);
    const { currency } = refund.amount;
    tx.publish(
      new PaymentRefundedV1({
        orderId: payment.orderId,
        paymentId,
        refundId,
        amount: refund.amount,
        totalRefunded: { amount: refunded, currency },
        paymentStatus,
      }),
      payment.orderId,
    );
  }
}
