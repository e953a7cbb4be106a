import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { ContactRepository } from '../../infrastructure/contact.repository';
import { RecordContactCommand } from './record-contact.command';

@BatchCommandHandler(RecordContactCommand)
export class RecordContactHandler implements BatchCommandHandler<RecordContactCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly contacts: ContactRepository,
  ) {}

  execute(command: RecordContactCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  async executeBatch(commands: readonly RecordContactCommand[]): Promise<void> {
    await this.unitOfWork.run((tx) => this.contacts.saveMany(tx.manager, commands));
  }
}
