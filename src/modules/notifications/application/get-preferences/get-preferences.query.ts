import { Query } from '@nestjs/cqrs';
import type { StoredPreferences } from '../../infrastructure/contact.repository';

/** A customer's notification preferences; the defaults for one who never chose. */
export class GetPreferencesQuery extends Query<StoredPreferences> {
  constructor(readonly customerId: string) {
    super();
  }
}
