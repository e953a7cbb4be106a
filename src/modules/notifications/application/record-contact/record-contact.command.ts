import { Command } from '@nestjs/cqrs';

/** Remember where to write to a customer. */
export class RecordContactCommand extends Command<void> {
  constructor(
    readonly customerId: string,
    readonly email: string,
  ) {
    super();
  }
}
