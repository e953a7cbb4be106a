import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { GrantAdminCommand } from './application/accounts/account.commands';
import { IssueDevelopmentStaffTokenCommand } from './application/sessions/session.commands';
import type { AccessToken } from './application/token-issuer';
import type { User } from './domain/user';

export { IdentityModule } from './identity.module';
export type { IdentityOptions } from './identity.options';

/** `npm run user:create-admin`: makes the account an admin, creating it if there is none. */
export function grantAdmin(app: INestApplicationContext, email: string, password: string): Promise<{ user: User; created: boolean }> {
  return app.get(CommandBus).execute(new GrantAdminCommand(email, password));
}

/** CONSOLE_AUTH=off (development only): an access token with the staff role's permissions, for no user. */
export function issueDevelopmentStaffToken(commandBus: CommandBus): Promise<AccessToken> {
  return commandBus.execute(new IssueDevelopmentStaffTokenCommand());
}
