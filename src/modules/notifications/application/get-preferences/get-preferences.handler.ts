import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ContactRepository, StoredPreferences } from '../../infrastructure/contact.repository';
import { GetPreferencesQuery } from './get-preferences.query';

@QueryHandler(GetPreferencesQuery)
export class GetPreferencesHandler implements IQueryHandler<GetPreferencesQuery> {
  constructor(private readonly contacts: ContactRepository) {}

  execute({ customerId }: GetPreferencesQuery): Promise<StoredPreferences> {
    return this.contacts.preferencesOf(customerId);
  }
}
