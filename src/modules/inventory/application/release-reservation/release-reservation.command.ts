import { Command } from '@nestjs/cqrs';

/** Give the order's reserved units back; also blocks a reservation that has not arrived yet. */
export class ReleaseReservationCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
