import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaymentCapturedV1 } from '../../../../../libs/contracts/payments';
import { UnitOfWork } from '../../../../../libs/messaging';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { CapturePaymentCommand } from './capture-payment.command';

/** AUTHORIZED → CAPTURED; a repeated capture is answered again; anything else is refused. */
@CommandHandler(CapturePaymentCommand)
export class CapturePaymentHandler implements ICommandHandler<CapturePaymentCommand> {
  private readonly logger = new Logger(CapturePaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
  ) {}

  execute({ orderId }: CapturePaymentCommand): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      const payment = await this.payments.lock(tx.manager, orderId);
      if (!payment) {
        this.logger.warn(`capture of order ${orderId} ignored: it has no payment`);
        return;
      }
      const before = payment.status;
      switch (payment.capture()) {
        case 'captured':
          await this.payments.save(tx.manager, payment, before);
          tx.publish(new PaymentCapturedV1({ orderId }), orderId);
          return;
        case 'already-captured':
          tx.publish(new PaymentCapturedV1({ orderId }), orderId);
          return;
        case 'not-authorized':
          this.logger.warn(`capture of order ${orderId} ignored: its payment is ${before}`);
          return;
      }
    });
  }
}
