import { Inject, Logger } from '@nestjs/common';
import { PaymentCapturedV1, PaymentCaptureFailedV1 } from '../../../../../libs/contracts/payments';
import { failpoints } from '../../../../../libs/failpoints';
import { BatchCommandHandler, Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { Payment, PaymentProviderName } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions } from '../../payments.options';
import { PAYMENT_PROVIDERS, ProviderRefusedError } from '../ports/payment-provider';
import type { CaptureRequest, PaymentProviders } from '../ports/payment-provider';
import { withProviderRetries } from '../provider-retries';
import { CapturePaymentCommand } from './capture-payment.command';

/**
 * AUTHORIZED → CAPTURED, at the provider first; a repeated capture is answered again; anything
 * else is refused. Which payments to capture is read without a lock; the provider is asked outside
 * any transaction, so no row lock waits on the network, and before the one transaction, which locks
 * the payments, checks them again and records the message in the inbox with its commit.
 * So a crash after the provider captured redelivers the command, and the repeated call, under the
 * same idempotency key, replays that capture instead of making a second one. A capture the
 * provider refuses for good (a final error, as a declined capture) is answered with
 * PaymentCaptureFailedV1, the payment still AUTHORIZED: the order is cancelled and sends the void.
 * Any other failure (retries used up, no answer in time) fails the message, to be delivered again
 * later or dead-lettered. A batch takes the same steps together.
 */
@BatchCommandHandler(CapturePaymentCommand)
export class CapturePaymentHandler implements BatchCommandHandler<CapturePaymentCommand> {
  private readonly logger = new Logger(CapturePaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    @Inject(PAYMENT_PROVIDERS) private readonly providers: PaymentProviders,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
  ) {}

  execute(command: CapturePaymentCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  async executeBatch(commands: readonly CapturePaymentCommand[]): Promise<void> {
    const orderIds = [...new Set(commands.map((c) => c.orderId))];
    const toCapture = await this.authorizedOf(orderIds);
    // Every call ends before the batch fails, so none is still running when its message is handled again.
    const calls = await Promise.allSettled(
      toCapture.map(async ({ provider, ...request }) => {
        const reference = await withProviderRetries(() => this.providers.of(provider).capture(request), this.options);
        return [request.paymentId, reference] as const;
      }),
    );
    const failed = calls.find((call) => call.status === 'rejected' && !(call.reason instanceof ProviderRefusedError));
    if (failed) throw (failed as PromiseRejectedResult).reason;
    // The provider's reference of each capture, by payment id: what refunds will name.
    const captureRefs = new Map(calls.flatMap((call) => (call.status === 'fulfilled' ? [call.value] : [])));
    // Why the provider refused a capture for good, by payment id.
    const refusals = new Map(
      calls.flatMap((call, i) => (call.status === 'rejected' ? [[toCapture[i].paymentId, (call.reason as ProviderRefusedError).code] as const] : [])),
    );
    await this.unitOfWork.run(async (tx) => {
      if (failpoints.armed) tx.afterCommit(() => failpoints.reach('after-capture-commit'));
      const payments = await this.payments.lockMany(tx.manager, orderIds);
      const before = new Map([...payments.values()].map((payment) => [payment, payment.status]));
      for (const command of commands) this.capture(tx, command, payments.get(command.orderId), captureRefs, refusals);
      const changes = [...before].filter(([payment, status]) => payment.status !== status);
      await this.payments.saveMany(tx.manager, changes.map(([payment, expectedStatus]) => ({ payment, expectedStatus })));
    });
  }

  /** The provider calls the authorized payments need; an authorized payment has an amount, a reference and its provider. */
  private async authorizedOf(orderIds: readonly string[]): Promise<(CaptureRequest & { provider: PaymentProviderName })[]> {
    const payments = await this.payments.ofOrders(orderIds);
    return [...payments.values()]
      .filter((payment) => payment.status === 'AUTHORIZED')
      .map((payment) => ({ paymentId: payment.id, reference: payment.providerRef!, amount: payment.amount!, provider: payment.provider! }));
  }

  private capture(
    tx: Transaction,
    command: CapturePaymentCommand,
    payment: Payment | undefined,
    captureRefs: ReadonlyMap<string, string>,
    refusals: ReadonlyMap<string, string>,
  ): void {
    const { orderId } = command;
    if (!payment) {
      this.logger.warn(`capture of order ${orderId} ignored: it has no payment`);
      return;
    }
    const refusal = refusals.get(payment.id);
    // Unless something (a webhook) captured it meanwhile, the payment stays AUTHORIZED until the order voids it.
    if (refusal !== undefined && payment.status === 'AUTHORIZED') {
      this.logger.warn(`capture of order ${orderId} refused for good by the provider: ${refusal}`);
      tx.publish(new PaymentCaptureFailedV1({ orderId, paymentId: payment.id, reason: refusal }), orderId, command);
      return;
    }
    const before = payment.status;
    switch (payment.capture(captureRefs.get(payment.id))) {
      case 'captured':
      case 'already-captured':
        tx.publish(new PaymentCapturedV1({ orderId }), orderId, command);
        return;
      case 'not-authorized':
        this.logger.warn(`capture of order ${orderId} ignored: its payment is ${before}`);
        return;
    }
  }
}
