import { Optional } from '@nestjs/common';
import { PaymentDeclinedV1, PaymentParkedV1 } from '../../../../../libs/contracts/payments';
import { failpoints } from '../../../../../libs/failpoints';
import { BatchCommandHandler, Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { Payment } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { AuthorizePaymentCommand } from './authorize-payment.command';
import { authorized, AuthorizationTarget, ProviderAuthorization } from './provider-authorization';
import { TransferRequester } from './transfer-requester';

/** An authorization request to ask the payment's provider about. */
interface ToAsk {
  command: AuthorizePaymentCommand;
  target: AuthorizationTarget;
}

/**
 * Three steps, so that no database transaction stays open while the provider thinks:
 * record the request (or answer a repeated one from the stored payment, a parked one included),
 * open its sealed payment method and call the provider with retries (an expired or unknown payment
 * method is declined without a call), then record the outcome if the order has not voided the
 * payment meanwhile: a provider found unavailable parks the payment (docs/decisions/0038).
 * A batch of requests takes the same steps together: one transaction before the provider calls
 * (made side by side) and one after.
 */
@BatchCommandHandler(AuthorizePaymentCommand)
export class AuthorizePaymentHandler implements BatchCommandHandler<AuthorizePaymentCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    private readonly authorization: ProviderAuthorization,
    /** Present with transfer payments configured: crypto payments are then paid by the payer's own on-chain transfer. */
    @Optional() private readonly transfers?: TransferRequester,
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
    const answers = await Promise.all(
      toAsk.map(async ({ command, target }) => ({ orderId: command.orderId, cause: command, ...(await this.authorization.ask(target)) })),
    );
    const toRelease = await this.unitOfWork.run((tx) => this.authorization.record(tx, answers));
    await this.authorization.release(toRelease);
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
    const toAsk: ToAsk[] = [];
    for (const command of commands) {
      const { orderId, amount, method, instrument } = command;
      const { payment } = payments.get(orderId)!;
      const answer = payment.answerAuthorizationRequest();
      switch (answer.kind) {
        case 'ask-provider':
          if (payment.provider === 'crypto' && this.transfers) {
            await this.transfers.request(tx, payment, instrument, command);
            break;
          }
          // A payment with a request to ask about has its method's provider.
          toAsk.push({ command, target: { paymentId: payment.id, orderId, amount, method, provider: payment.provider!, instrument } });
          break;
        case 'authorized':
          tx.publish(authorized(payment), orderId, command);
          break;
        case 'declined':
          tx.publish(new PaymentDeclinedV1({ orderId, reason: answer.reason }), orderId, command);
          break;
        case 'parked':
          // The resumer asks the provider once it takes calls; a repeated request only hears that again.
          tx.publish(new PaymentParkedV1({ orderId, parkedUntil: answer.until.toISOString() }), orderId, command);
          break;
        case 'transfer-requested':
          if (!this.transfers) throw new Error(`payment ${payment.id} awaits an on-chain transfer, and this process has no transfer payments configured`);
          await this.transfers.repeat(tx, payment, command);
          break;
      }
    }
    return toAsk;
  }
}
