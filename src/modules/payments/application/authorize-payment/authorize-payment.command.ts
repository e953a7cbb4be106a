import { Command } from '@nestjs/cqrs';
import { Money } from '../../domain/payment';

/**
 * The payment instrument an authorization request names: a provider token sealed for payments
 * until `expiresAt` (AuthorizePaymentV2), or the token itself, from an AuthorizePaymentV1 sent
 * before requests were sealed.
 */
export type PaymentInstrument = { sealed: string; expiresAt: string } | { token: string };

/** Authorize (not capture) an order's total with the provider; answered by a published message. */
export class AuthorizePaymentCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    /** Absent from an AuthorizePaymentV1 request. */
    readonly customerId: string | null,
    readonly amount: Money,
    readonly method: string,
    readonly instrument: PaymentInstrument,
  ) {
    super();
  }
}
