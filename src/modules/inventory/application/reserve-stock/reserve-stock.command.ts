import { Command } from '@nestjs/cqrs';
import { ReservationLine, ReservationReply } from '../../domain/reservation';

/** Reserve every line of an order, or none; answers with the reply that was published. */
export class ReserveStockCommand extends Command<ReservationReply> {
  constructor(
    readonly orderId: string,
    readonly lines: readonly ReservationLine[],
  ) {
    super();
  }
}
