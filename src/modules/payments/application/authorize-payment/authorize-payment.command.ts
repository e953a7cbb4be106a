import { Command } from '@nestjs/cqrs';
import { Money } from '../../domain/payment';

/** Authorize (not capture) an order's total with the provider; answered by a published message. */
export class AuthorizePaymentCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly amount: Money,
    readonly method: string,
    readonly token: string,
  ) {
    super();
  }
}
