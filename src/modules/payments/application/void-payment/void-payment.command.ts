import { Command } from '@nestjs/cqrs';

/** Void the order's authorization, or block it when it has not been requested yet. */
export class VoidPaymentCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
