import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommitReservationV1 } from '../../../../../libs/contracts/inventory';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { CommitReservationCommand } from '../commit-reservation/commit-reservation.command';

@Injectable()
@InboundHandler({ consumer: 'inventory', message: CommitReservationV1 })
export class OnCommitReservationHandler implements MessageHandler<CommitReservationV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: CommitReservationV1): Promise<void> {
    await this.commandBus.execute(new CommitReservationCommand(payload.orderId));
  }
}
