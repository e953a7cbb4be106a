import { applyDecorators, SetMetadata, Type } from '@nestjs/common';
import { CommandHandler, ICommand } from '@nestjs/cqrs';

export const BATCH_COMMAND_HANDLER = Symbol('BATCH_COMMAND_HANDLER');

/**
 * A command handler that also takes many commands of its kind at once, set-based (one lock
 * statement, one insert for all), when a batch of inbound messages became those commands. It
 * runs inside the batch's transaction; messages it publishes name their cause
 * (`tx.publish(message, aggregateId, command)`).
 */
export interface BatchCommandHandler<C extends ICommand> {
  execute(command: C): Promise<unknown>;
  executeBatch(commands: readonly C[]): Promise<void>;
}

/** `@CommandHandler` for a handler that implements `executeBatch` too. */
export const BatchCommandHandler = (command: Type<ICommand>): ClassDecorator =>
  applyDecorators(CommandHandler(command), SetMetadata(BATCH_COMMAND_HANDLER, command));
