import { Logger } from '@nestjs/common';
import { PaymentCapturedV1 } from '../../../../../libs/contracts/payments';
import { failpoints } from '../../../../../libs/failpoints';
import { BatchCommandHandler, Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { Payment } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { CapturePaymentCommand } from './capture-payment.command';

/** AUTHORIZED → CAPTURED; a repeated capture is answered again; anything else is refused. A batch locks and writes its payments with one statement each. */
@BatchCommandHandler(CapturePaymentCommand)
export class CapturePaymentHandler implements BatchCommandHandler<CapturePaymentCommand> {
  private readonly logger = new Logger(CapturePaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentRepository,
  ) {}

  execute(command: CapturePaymentCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  async executeBatch(commands: readonly CapturePaymentCommand[]): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      if (failpoints.armed) tx.afterCommit(() => failpoints.reach('after-capture-commit'));
      const payments = await this.payments.lockMany(tx.manager, [...new Set(commands.map((c) => c.orderId))]);
      const before = new Map([...payments.values()].map((payment) => [payment, payment.status]));
      for (const command of commands) this.capture(tx, command, payments.get(command.orderId));
      const changes = [...before].filter(([payment, status]) => payment.status !== status);
      await this.payments.saveMany(tx.manager, changes.map(([payment, expectedStatus]) => ({ payment, expectedStatus })));
    });
  }

  private capture(tx: Transaction, command: CapturePaymentCommand, payment: Payment | undefined): void {
    const { orderId } = command;
    if (!payment) {
      this.logger.warn(`capture of order ${orderId} ignored: it has no payment`);
      return;
    }
    const before = payment.status;
    switch (payment.capture()) {
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
