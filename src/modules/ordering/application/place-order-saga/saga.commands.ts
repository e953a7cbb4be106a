import { Command } from '@nestjs/cqrs';
import { ParticipantReply } from './place-order.saga';

/** A participant answered the order's request (or a re-driven copy of it). */
export class RecordParticipantReplyCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly reply: ParticipantReply,
  ) {
    super();
  }
}

export class ExpireOrderSagaCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}

export class RedriveOrderSagaCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
