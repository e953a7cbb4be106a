import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { ContactRepository, StoredPreferences } from '../../infrastructure/contact.repository';
import { UpdatePreferencesCommand } from './update-preferences.command';

/** Notices recorded from now on follow the new preferences; those recorded before keep their channel and recipient. */
@CommandHandler(UpdatePreferencesCommand)
export class UpdatePreferencesHandler implements ICommandHandler<UpdatePreferencesCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly contacts: ContactRepository,
  ) {}

  execute({ customerId, preferences }: UpdatePreferencesCommand): Promise<StoredPreferences> {
    return this.unitOfWork.run((tx) => this.contacts.savePreferences(tx.manager, customerId, preferences));
  }
}
