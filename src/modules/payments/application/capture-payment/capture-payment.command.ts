import { Command } from '@nestjs/cqrs';

/** Capture the order's authorized payment. */
export class CapturePaymentCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
