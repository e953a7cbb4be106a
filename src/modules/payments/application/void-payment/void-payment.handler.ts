import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaymentVoidedV1 } from '../../../../../libs/contracts/payments';
import { UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { Payment } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { VoidPaymentCommand } from './void-payment.command';

/**
 * PENDING or AUTHORIZED → VOIDED. An order without a payment gets a VOIDED tombstone, so an
 * authorization request still on its way is declined when it arrives. Idempotent.
 */
@CommandHandler(VoidPaymentCommand)
export class VoidPaymentHandler implements ICommandHandler<VoidPaymentCommand> {
  private readonly logger = new Logger(VoidPaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
  ) {}

  execute({ orderId }: VoidPaymentCommand): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
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
}
