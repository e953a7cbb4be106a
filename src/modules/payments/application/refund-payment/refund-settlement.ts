import { Inject, Injectable } from '@nestjs/common';
import { PaymentRefundedV1 } from '../../../../../libs/contracts/payments';
import { Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { Refund } from '../../domain/refund';
import { RefundPendingError } from '../../domain/refund.errors';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PendingRefund, RefundRepository } from '../../infrastructure/refund.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions } from '../../payments.options';
import { PAYMENT_PROVIDERS, ProviderError, ProviderRefusedError, ProviderTimeoutError, ProviderUnavailableError } from '../ports/payment-provider';
import type { PaymentProviders } from '../ports/payment-provider';
import { withProviderRetries } from '../provider-retries';

type ProviderOutcome = { kind: 'refunded'; reference: string } | { kind: 'refused'; code: string };

/**
 * The last two steps of a refund, for its request and for the sweep of refunds left PENDING: asks
 * the provider outside any transaction, under the refund's idempotency key, so asking again replays
 * a refund the provider made; then, under the payment's row lock, records SUCCEEDED (with the
 * payment's new status and PaymentRefundedV1) or FAILED for a refusal for good, which releases the
 * amount. Without an answer the refund stays PENDING (RefundPendingError).
 */
@Injectable()
export class RefundSettlement {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    private readonly refunds: RefundRepository,
    @Inject(PAYMENT_PROVIDERS) private readonly providers: PaymentProviders,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
  ) {}

  async settle(pending: PendingRefund): Promise<void> {
    const { refund } = pending;
    const outcome = await this.askProvider(pending);
    await this.unitOfWork.run((tx) => this.record(tx, refund, outcome));
  }

  /** Asks the provider that captured the payment. */
  private async askProvider({ refund, captureRef, provider }: PendingRefund): Promise<ProviderOutcome> {
    try {
      const request = { refundId: refund.id, reference: captureRef, amount: refund.amount };
      const reference = await withProviderRetries(() => this.providers.of(provider).refund(request), this.options);
      return { kind: 'refunded', reference };
    } catch (error) {
      if (error instanceof ProviderRefusedError) return { kind: 'refused', code: error.code };
      // The provider may or may not have refunded: the refund stays PENDING, to be asked again.
      if (error instanceof ProviderError || error instanceof ProviderUnavailableError || error instanceof ProviderTimeoutError) {
        throw new RefundPendingError(refund.id);
      }
      throw error;
    }
  }

  private async record(tx: Transaction, { id: refundId, paymentId }: Refund, outcome: ProviderOutcome): Promise<void> {
    const payment = (await this.payments.lock(tx.manager, paymentId))!;
    const refund = (await this.refunds.byId(tx.manager, refundId))!;
    const settled = outcome.kind === 'refunded' ? refund.succeed(outcome.reference) : refund.fail(outcome.code);
    // A repetition of the request, or the sweep, running alongside recorded the same answer first.
    if (!settled) return;
    await this.refunds.settle(tx.manager, refund);
    if (refund.status !== 'SUCCEEDED') return;
    const before = payment.status;
    const { refunded } = await this.refunds.totalsOf(tx.manager, paymentId);
    const paymentStatus = payment.recordRefunded(refunded);
    await this.payments.save(tx.manager, payment, before);
    tx.publish(
      new PaymentRefundedV1({
        orderId: payment.orderId,
        paymentId,
        refundId,
        amount: refund.amount,
        totalRefunded: { amount: refunded, currency: refund.amount.currency },
        paymentStatus,
      }),
      payment.orderId,
    );
  }
}
