import { Command } from '@nestjs/cqrs';
import { OrderProgress, ParticipantReply } from './place-order.saga';

/** A participant answered the order's request (or a re-driven copy of it). */
export class RecordParticipantReplyCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly reply: ParticipantReply,
  ) {
    super();
  }
}

/** A participant told how the order's payment or stock is getting on after its first answer. */
export class RecordOrderProgressCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly progress: OrderProgress,
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
