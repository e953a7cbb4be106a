import { Command } from '@nestjs/cqrs';
import type { OrderFact } from '../../domain/receipt';

/** Remember what an event told of an order; ask for its receipt once the order is known in full. */
export class RecordOrderFactCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly fact: OrderFact,
  ) {
    super();
  }
}
