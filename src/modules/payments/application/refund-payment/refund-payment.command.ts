import { Command } from '@nestjs/cqrs';
import { RefundView } from '../refund.view';

export interface RefundResult {
  refund: RefundView;
  /** True when this Idempotency-Key had requested the refund before. */
  replayed: boolean;
}

/** Give back `amount` (minor units, the payment's currency) of a captured payment, once per Idempotency-Key. */
export class RefundPaymentCommand extends Command<RefundResult> {
  constructor(
    readonly paymentId: string,
    readonly amount: number,
    readonly reason: string | null,
    readonly idempotencyKey: string,
    readonly requestedBy: string,
  ) {
    super();
  }
}
