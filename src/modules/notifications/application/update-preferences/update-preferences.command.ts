import { Command } from '@nestjs/cqrs';
import type { NotificationPreferences } from '../../domain/preferences';
import type { StoredPreferences } from '../../infrastructure/contact.repository';

/** Replace a customer's notification preferences: channels, phone number and devices together. */
export class UpdatePreferencesCommand extends Command<StoredPreferences> {
  constructor(
    readonly customerId: string,
    readonly preferences: NotificationPreferences,
  ) {
    super();
  }
}
