import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReleaseReservationV1 } from '../../../../../libs/contracts/inventory';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { ReleaseReservationCommand } from '../release-reservation/release-reservation.command';

@Injectable()
@InboundHandler({ consumer: 'inventory', message: ReleaseReservationV1 })
export class OnReleaseReservationHandler implements MessageHandler<ReleaseReservationV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ReleaseReservationV1): Promise<void> {
    await this.commandBus.execute(new ReleaseReservationCommand(payload.orderId));
  }
}
