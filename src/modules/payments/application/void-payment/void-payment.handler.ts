import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaymentVoidedV1 } from '../../../../../libs/contracts/payments';
import { EntityManager } from 'typeorm';
import { UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { Payment } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { TransferRequestRepository } from '../../infrastructure/transfer-request.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions } from '../../payments.options';
import { PAYMENT_PROVIDERS } from '../ports/payment-provider';
import type { PaymentProviders } from '../ports/payment-provider';
import { withProviderRetries } from '../provider-retries';
import { VoidPaymentCommand } from './void-payment.command';

/**
 * PENDING, PARKED, AWAITING_TRANSFER (its transfer request cancelled) or AUTHORIZED → VOIDED; an authorization is released at the provider first, after a read
 * without a lock and before the transaction, for the reasons CapturePaymentHandler gives: a redelivery repeats the call under
 * the same idempotency key, and a refusal for good dead-letters the message, the payment unchanged.
 * An order without a payment gets a VOIDED tombstone, so an authorization request still on its
 * way is declined when it arrives. Idempotent.
 */
@CommandHandler(VoidPaymentCommand)
export class VoidPaymentHandler implements ICommandHandler<VoidPaymentCommand> {
  private readonly logger = new Logger(VoidPaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
    @Inject(PAYMENT_PROVIDERS) private readonly providers: PaymentProviders,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
    private readonly transferRequests: TransferRequestRepository,
  ) {}

  async execute({ orderId }: VoidPaymentCommand): Promise<void> {
    const held = (await this.payments.ofOrders([orderId])).get(orderId);
    if (held?.status === 'AUTHORIZED') {
      // An authorized payment has its provider and the provider's reference.
      await withProviderRetries(() => this.providers.of(held.provider!).void({ paymentId: held.id, reference: held.providerRef! }), this.options);
    }
    await this.unitOfWork.run(async (tx) => {
      const { payment, created } = await this.payments.lockOrCreate(tx.manager, orderId, () =>
        Payment.tombstone(newId(), orderId),
      );
      if (created) {
        tx.publish(new PaymentVoidedV1({ orderId }), orderId);
        return;
      }
      const before = payment.status;
      switch (payment.void()) {
        case 'voided':
          await this.payments.save(tx.manager, payment, before);
          if (before === 'AWAITING_TRANSFER') await this.cancelTransferRequest(tx.manager, payment.id);
          tx.publish(new PaymentVoidedV1({ orderId }), orderId);
          return;
        case 'already-voided':
          tx.publish(new PaymentVoidedV1({ orderId }), orderId);
          return;
        case 'nothing-held':
          return;
        case 'already-captured':
          this.logger.warn(`void of order ${orderId} ignored: its payment was captured`);
          return;
      }
    });
  }

  /** A transfer that comes after the void counts for nothing: it is kept for support to give back. */
  private async cancelTransferRequest(manager: EntityManager, paymentId: string): Promise<void> {
    const [request] = await this.transferRequests.lockMany(manager, [paymentId]);
    if (request?.cancel()) await this.transferRequests.save(manager, request);
  }
}
