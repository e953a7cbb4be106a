import { Inject, Logger } from '@nestjs/common';
import { PaymentAuthorizedV1, PaymentDeclinedV1, PaymentVoidedV1 } from '../../../../../libs/contracts/payments';
import { failpoints } from '../../../../../libs/failpoints';
import { BatchCommandHandler, Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { DECLINE_REASON, Payment, PaymentProviderName, ProviderOutcome } from '../../domain/payment';
import { OpenedPaymentMethod, PaymentMethodOpener } from '../../infrastructure/payment-method-opener';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions } from '../../payments.options';
import { PAYMENT_PROVIDERS, ProviderTimeoutError } from '../ports/payment-provider';
import type { PaymentProviders, VoidRequest } from '../ports/payment-provider';
import { withProviderRetries } from '../provider-retries';
import { AuthorizePaymentCommand } from './authorize-payment.command';

/** An authorization request to ask the payment's provider about. */
interface ToAsk {
  command: AuthorizePaymentCommand;
  paymentId: string;
  provider: PaymentProviderName;
}

/** An authorization to void at the provider that made it. */
interface Release extends VoidRequest {
  provider: PaymentProviderName;
}

/**
 * Three steps, so that no database transaction stays open while the provider thinks:
 * record the request (or answer a repeated one from the stored payment), open its sealed payment
 * method and call the provider with retries (an expired or unknown payment method is declined
 * without a call), then record the outcome if the order has not voided the payment meanwhile.
 * A batch of requests takes the same steps together: one transaction before the provider calls
 * (made side by side) and one after.
 */
@BatchCommandHandler(AuthorizePaymentCommand)
export class AuthorizePaymentHandler implements BatchCommandHandler<AuthorizePaymentCommand> {
  private readonly logger = new Logger(AuthorizePaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    private readonly paymentMethods: PaymentMethodOpener,
    @Inject(PAYMENT_PROVIDERS) private readonly providers: PaymentProviders,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
  ) {}

  async execute(command: AuthorizePaymentCommand): Promise<void> {
    await this.authorize([command]);
  }

  async executeBatch(commands: readonly AuthorizePaymentCommand[]): Promise<void> {
    await this.authorize(commands);
  }

  private async authorize(commands: readonly AuthorizePaymentCommand[]): Promise<void> {
    // Only the last step records the inbound messages: a crash before it means a redelivery.
    const toAsk = await this.unitOfWork.run((tx) => this.open(tx, commands), { finalStep: false });
    if (toAsk.length === 0) return;
    if (failpoints.armed) await failpoints.reach('before-authorize-call');
    const answers = await Promise.all(toAsk.map(async (asked) => ({ command: asked.command, ...(await this.askProvider(asked)) })));
    const toRelease = await this.unitOfWork.run((tx) => this.settle(tx, answers));
    await Promise.all(toRelease.map((request) => this.release(request)));
  }

  /**
   * Voids at the provider an authorization that came after the order's void. After the commit, so a
   * failed call costs no recorded answer; a crash before it leaves the authorization to expire at the provider.
   */
  private async release({ provider, ...request }: Release): Promise<void> {
    try {
      await withProviderRetries(() => this.providers.of(provider).void(request), this.options);
    } catch (error) {
      this.logger.error(`the authorization of payment ${request.paymentId}, voided here, is still held by the provider: ${String(error)}`);
    }
  }

  /** Records the requests; answers those the stored payments already settle, returns the ones to ask about. */
  private async open(
    tx: Transaction,
    commands: readonly AuthorizePaymentCommand[],
  ): Promise<ToAsk[]> {
    const requested = new Map(commands.map((command) => [command.orderId, command]));
    const payments = await this.payments.lockOrCreateMany(tx.manager, [...requested.keys()], (orderId) => {
      const { customerId, amount, method } = requested.get(orderId)!;
      return Payment.start(newId(), orderId, customerId, amount, method);
    });
    return commands.flatMap((command) => {
      const { orderId } = command;
      const { payment } = payments.get(orderId)!;
      const answer = payment.answerAuthorizationRequest();
      switch (answer.kind) {
        case 'ask-provider':
          // A payment with a request to ask about has its method's provider.
          return [{ command, paymentId: payment.id, provider: payment.provider! }];
        case 'authorized':
          tx.publish(this.authorized(payment), orderId, command);
          return [];
        case 'declined':
          tx.publish(new PaymentDeclinedV1({ orderId, reason: answer.reason }), orderId, command);
          return [];
      }
    });
  }

  private async askProvider({ command, paymentId, provider }: ToAsk): Promise<{ outcome: ProviderOutcome; attempts: number }> {
    // Opened at the last moment, so an expiry holds until the provider is asked.
    const paymentMethod = this.paymentMethods.open(command.orderId, command.instrument, new Date());
    if (paymentMethod.kind !== 'token') return { outcome: this.unusable(command.orderId, paymentMethod), attempts: 0 };
    let attempts = 0;
    try {
      const answer = await withProviderRetries((attempt) => {
        attempts = attempt;
        return this.providers.of(provider).authorize({
          paymentId,
          orderId: command.orderId,
          amount: command.amount,
          method: command.method,
          token: paymentMethod.token,
        });
      }, this.options);
      const outcome: ProviderOutcome = answer.approved
        ? { kind: 'approved', reference: answer.reference }
        : { kind: 'declined', reason: answer.reason };
      return { outcome, attempts };
    } catch (error) {
      if (error instanceof ProviderTimeoutError) {
        this.logger.warn(`payment of order ${command.orderId} stays pending: ${error.message}`);
        return { outcome: { kind: 'timed-out' }, attempts };
      }
      this.logger.warn(`payment of order ${command.orderId} failed after ${attempts} attempts: ${String(error)}`);
      return { outcome: { kind: 'failed' }, attempts };
    }
  }

  /** A payment method that cannot be used is a decline the order can name, without asking the provider. */
  private unusable(orderId: string, paymentMethod: Exclude<OpenedPaymentMethod, { kind: 'token' }>): ProviderOutcome {
    if (paymentMethod.kind === 'expired') return { kind: 'declined', reason: DECLINE_REASON.paymentMethodExpired };
    this.logger.warn(`the payment method of order ${orderId} cannot be used: ${paymentMethod.why}`);
    return { kind: 'declined', reason: DECLINE_REASON.paymentMethodUnknown };
  }

  /**
   * Records the provider's answers, where the order has not voided the payment meanwhile; returns
   * the authorizations that came after the void, to release.
   */
  private async settle(
    tx: Transaction,
    answers: readonly { command: AuthorizePaymentCommand; outcome: ProviderOutcome; attempts: number }[],
  ): Promise<Release[]> {
    const toRelease: Release[] = [];
    if (failpoints.armed) tx.afterCommit(() => failpoints.reach('after-authorize-commit'));
    const payments = await this.payments.lockMany(tx.manager, [...new Set(answers.map(({ command }) => command.orderId))]);
    const before = new Map([...payments.values()].map((payment) => [payment, payment.status]));
    for (const { command, outcome, attempts } of answers) {
      const { orderId } = command;
      const payment = payments.get(orderId);
      // Payments are never deleted, and step one created this one.
      if (!payment) throw new Error(`payment of order ${orderId} disappeared`);
      const settlement = payment.settle(outcome, attempts);
      switch (settlement.kind) {
        case 'authorized':
          tx.publish(this.authorized(payment), orderId, command);
          break;
        case 'declined':
          tx.publish(new PaymentDeclinedV1({ orderId, reason: settlement.reason }), orderId, command);
          break;
        case 'authorized-after-void':
          this.logger.warn(`payment of order ${orderId} was authorized after its void; released at once`);
          toRelease.push({ paymentId: payment.id, reference: payment.providerRef!, provider: payment.provider! });
          tx.publish(new PaymentVoidedV1({ orderId }), orderId, command);
          break;
        case 'still-pending':
        case 'already-settled':
          break;
      }
    }
    await this.payments.saveMany(tx.manager, [...before].map(([payment, expectedStatus]) => ({ payment, expectedStatus })));
    return toRelease;
  }

  private authorized(payment: Payment): PaymentAuthorizedV1 {
    // Only a payment created by an authorization request can be authorized, so it has an amount.
    const amount = payment.amount!;
    return new PaymentAuthorizedV1({ orderId: payment.orderId, paymentId: payment.id, amount: { ...amount } });
  }
}
