import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { GrantAdminCommand } from './application/accounts/account.commands';
import type { User } from './domain/user';

export { IdentityModule } from './identity.module';
export type { IdentityOptions } from './identity.options';

/** `npm run user:create-admin`: makes the account an admin, creating it if there is none. */
export function grantAdmin(app: INestApplicationContext, email: string, password: string): Promise<{ user: User; created: boolean }> {
  return app.get(CommandBus).execute(new GrantAdminCommand(email, password));
}
