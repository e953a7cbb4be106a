import { Command } from '@nestjs/cqrs';

/** The order is sold: its reserved units leave the warehouse. */
export class CommitReservationCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
