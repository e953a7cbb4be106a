import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BatchCommandHandler } from '../../../../../libs/messaging';
import { PlaceOrderSaga } from './place-order.saga';
import { ExpireOrderSagaCommand, RecordOrderProgressCommand, RecordParticipantReplyCommand, RedriveOrderSagaCommand } from './saga.commands';

@BatchCommandHandler(RecordParticipantReplyCommand)
export class RecordParticipantReplyHandler implements BatchCommandHandler<RecordParticipantReplyCommand> {
  constructor(private readonly saga: PlaceOrderSaga) {}

  execute({ orderId, reply }: RecordParticipantReplyCommand): Promise<void> {
    return this.saga.onReply(orderId, reply);
  }

  executeBatch(commands: readonly RecordParticipantReplyCommand[]): Promise<void> {
    return this.saga.onReplies(commands.map((cause) => ({ orderId: cause.orderId, reply: cause.reply, cause })));
  }
}

@BatchCommandHandler(RecordOrderProgressCommand)
export class RecordOrderProgressHandler implements BatchCommandHandler<RecordOrderProgressCommand> {
  constructor(private readonly saga: PlaceOrderSaga) {}

  execute(command: RecordOrderProgressCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  executeBatch(commands: readonly RecordOrderProgressCommand[]): Promise<void> {
    return this.saga.onProgress(commands.map((cause) => ({ orderId: cause.orderId, progress: cause.progress, cause })));
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
