import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PlaceOrderSaga } from './place-order.saga';
import { ExpireOrderSagaCommand, RecordParticipantReplyCommand, RedriveOrderSagaCommand } from './saga.commands';

@CommandHandler(RecordParticipantReplyCommand)
export class RecordParticipantReplyHandler implements ICommandHandler<RecordParticipantReplyCommand> {
  constructor(private readonly saga: PlaceOrderSaga) {}

  execute({ orderId, reply }: RecordParticipantReplyCommand): Promise<void> {
    return this.saga.onReply(orderId, reply);
  }
}

@CommandHandler(ExpireOrderSagaCommand)
export class ExpireOrderSagaHandler implements ICommandHandler<ExpireOrderSagaCommand> {
  constructor(private readonly saga: PlaceOrderSaga) {}

  execute({ orderId }: ExpireOrderSagaCommand): Promise<void> {
    return this.saga.onDeadline(orderId);
  }
}

@CommandHandler(RedriveOrderSagaCommand)
export class RedriveOrderSagaHandler implements ICommandHandler<RedriveOrderSagaCommand> {
  constructor(private readonly saga: PlaceOrderSaga) {}

  execute({ orderId }: RedriveOrderSagaCommand): Promise<void> {
    return this.saga.redrive(orderId);
  }
}
