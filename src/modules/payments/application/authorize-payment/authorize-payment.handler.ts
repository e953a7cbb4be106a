import { Inject, Logger } from '@nestjs/common';
import { PaymentAuthorizedV1, PaymentDeclinedV1, PaymentVoidedV1 } from '../../../../../libs/contracts/payments';
import { BatchCommandHandler, Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { retry } from '../../../../../libs/resilience';
import { Payment, ProviderOutcome } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions } from '../../payments.options';
import {
  PAYMENT_PROVIDER,
  ProviderError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../ports/payment-provider';
import type { PaymentProvider } from '../ports/payment-provider';
import { AuthorizePaymentCommand } from './authorize-payment.command';

/** Longest pause between two provider calls of one request. */
const MAX_RETRY_DELAY_MS = 5_000;

function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError || error instanceof ProviderUnavailableError;
}

/**
 * Three steps, so that no database transaction stays open while the provider thinks:
 * record the request (or answer a repeated one from the stored payment), call the provider
 * with retries, then record its outcome if the order has not voided the payment meanwhile.
 * A batch of requests takes the same steps together: one transaction before the provider calls
 * (made side by side) and one after.
 */
@BatchCommandHandler(AuthorizePaymentCommand)
export class AuthorizePaymentHandler implements BatchCommandHandler<AuthorizePaymentCommand> {
  private readonly logger = new Logger(AuthorizePaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
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
    const toAsk = await this.unitOfWork.run(
      async (tx) => {
        const asks: AuthorizePaymentCommand[] = [];
        for (const command of commands) if (await this.open(tx, command)) asks.push(command);
        return asks;
      },
      { finalStep: false },
    );
    if (toAsk.length === 0) return;
    const answers = await Promise.all(toAsk.map(async (command) => ({ command, ...(await this.askProvider(command)) })));
    await this.unitOfWork.run(async (tx) => {
      for (const { command, outcome, attempts } of answers) await this.settle(tx, command, outcome, attempts);
    });
  }

  private async open(tx: Transaction, command: AuthorizePaymentCommand): Promise<boolean> {
    const { orderId, amount, method } = command;
    const { payment } = await this.payments.lockOrCreate(tx.manager, orderId, () =>
      Payment.start(newId(), orderId, amount, method),
    );
    const answer = payment.answerAuthorizationRequest();
    switch (answer.kind) {
      case 'ask-provider':
        return true;
      case 'authorized':
        tx.publish(this.authorized(payment), orderId, command);
        return false;
      case 'declined':
        tx.publish(new PaymentDeclinedV1({ orderId, reason: answer.reason }), orderId, command);
        return false;
    }
  }

  private async askProvider(command: AuthorizePaymentCommand): Promise<{ outcome: ProviderOutcome; attempts: number }> {
    let attempts = 0;
    try {
      const answer = await retry(
        (attempt) => {
          attempts = attempt;
          return this.provider.authorize({
            orderId: command.orderId,
            amount: command.amount,
            method: command.method,
            token: command.token,
          });
        },
        {
          attempts: this.options.retryAttempts,
          baseMs: this.options.retryBaseMs,
          maxMs: MAX_RETRY_DELAY_MS,
          isRetryable,
        },
      );
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

  private async settle(tx: Transaction, command: AuthorizePaymentCommand, outcome: ProviderOutcome, attempts: number): Promise<void> {
    const { orderId } = command;
    const payment = await this.payments.lock(tx.manager, orderId);
    // Payments are never deleted, and step one created this one.
    if (!payment) throw new Error(`payment of order ${orderId} disappeared`);
    const before = payment.status;
    const settlement = payment.settle(outcome, attempts);
    await this.payments.save(tx.manager, payment, before);
    switch (settlement.kind) {
      case 'authorized':
        tx.publish(this.authorized(payment), orderId, command);
        return;
      case 'declined':
        tx.publish(new PaymentDeclinedV1({ orderId, reason: settlement.reason }), orderId, command);
        return;
      case 'authorized-after-void':
        this.logger.warn(`payment of order ${orderId} was authorized after its void; released at once`);
        tx.publish(new PaymentVoidedV1({ orderId }), orderId, command);
        return;
      case 'still-pending':
      case 'already-settled':
        return;
    }
  }

  private authorized(payment: Payment): PaymentAuthorizedV1 {
    // Only a payment created by an authorization request can be authorized, so it has an amount.
    const amount = payment.amount!;
    return new PaymentAuthorizedV1({ orderId: payment.orderId, paymentId: payment.id, amount: { ...amount } });
  }
}
