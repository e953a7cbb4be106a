import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaymentCapturedV1, PaymentVoidedV1 } from '../../../../../libs/contracts/payments';
import { Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { Payment } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { WebhookEventRepository } from '../../infrastructure/webhook-event.repository';
import { ApplyProviderEventCommand, ProviderEvent, ProviderEventOutcome } from './apply-provider-event.command';

type Effect = Exclude<ProviderEventOutcome, 'duplicate'>;

/**
 * Reconciles a payment with the provider's truth, told by its webhook, whichever provider it is
 * (each webhook is read into one ProviderEvent shape first): a capture or a void the
 * provider made while our call timed out moves the payment as our own call's answer would have,
 * through the same domain rules, and publishes the same message. The payment only moves forward
 * (AUTHORIZED → CAPTURED or VOIDED), so an event that arrives late, such as the authorization
 * after the capture, changes nothing. The event is recorded in the transaction of its effect; a
 * delivery of it again, even concurrent, finds it recorded and does nothing.
 */
@CommandHandler(ApplyProviderEventCommand)
export class ApplyProviderEventHandler implements ICommandHandler<ApplyProviderEventCommand> {
  private readonly logger = new Logger(ApplyProviderEventHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    private readonly events: WebhookEventRepository,
  ) {}

  execute({ event }: ApplyProviderEventCommand): Promise<ProviderEventOutcome> {
    return this.unitOfWork.run(async (tx) => {
      // An event that moves no payment (a failed attempt, a refund) is recorded only.
      const payment = event.change === 'other' ? undefined : await this.paymentOf(tx, event);
      const before = payment?.status;
      const effect = event.change === 'other' ? 'unchanged' : payment ? this.apply(payment, event) : 'unknown-payment';
      if (!(await this.events.record(tx.manager, event, effect))) return 'duplicate';
      if (effect === 'captured' || effect === 'voided') {
        await this.payments.save(tx.manager, payment!, before!);
        const { orderId } = payment!;
        tx.publish(effect === 'captured' ? new PaymentCapturedV1({ orderId }) : new PaymentVoidedV1({ orderId }), orderId);
      }
      return effect;
    });
  }

  /**
   * The payment the event names, locked: by our ids where the provider echoes them, else by the
   * provider's reference we stored. None when it is not one of ours, or was made at another provider.
   */
  private async paymentOf(tx: Transaction, { ours, references, provider }: ProviderEvent): Promise<Payment | undefined> {
    const payment = ours
      ? (await this.payments.lockMany(tx.manager, [ours.orderId])).get(ours.orderId)
      : await this.payments.lockByProviderReference(tx.manager, provider, references);
    if (!payment || payment.provider !== provider) return undefined;
    return !ours || payment.id === ours.paymentId ? payment : undefined;
  }

  private apply(payment: Payment, event: ProviderEvent): Effect {
    if (event.change === 'authorized') return 'unchanged';
    if (payment.providerRef === null || !event.references.includes(payment.providerRef)) {
      this.logger.warn(`${event.type} ${event.id} ignored: it names ${event.references.join(', ')}, payment ${payment.id} is ${payment.providerRef}`);
      return 'unchanged';
    }
    const before = payment.status;
    if (event.change === 'captured') {
      const result = payment.capture(event.captureReference);
      if (result === 'not-authorized') {
        this.logger.warn(`${event.type} ${event.id}: the provider captured payment ${payment.id}, which is ${before} here; an operator has to look`);
      }
      return result === 'captured' ? 'captured' : 'unchanged';
    }
    // Only an authorization is released by a void; a PENDING payment has no provider reference to match.
    return before === 'AUTHORIZED' && payment.void() === 'voided' ? 'voided' : 'unchanged';
  }
}
