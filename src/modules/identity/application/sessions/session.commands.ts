import { Command } from '@nestjs/cqrs';
import type { AccessToken, Session } from '../token-issuer';

export class LogInCommand extends Command<Session> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}

/** Trades a refresh token for a new session; the token presented is used up. */
export class RefreshSessionCommand extends Command<Session> {
  constructor(readonly refreshToken: string) {
    super();
  }
}

/** Ends the session the refresh token belongs to (its whole family). */
export class LogOutCommand extends Command<void> {
  constructor(readonly refreshToken: string) {
    super();
  }
}

/** OAuth 2.0 client credentials: a machine client's access token, scoped to what it was granted. */
export class IssueClientTokenCommand extends Command<AccessToken> {
  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    super();
  }
}

/**
 * An access token with the staff role's permissions for no user in particular: what the operations
 * console works with when CONSOLE_AUTH=off (development only, refused in production).
 */
export class IssueDevelopmentStaffTokenCommand extends Command<AccessToken> {}
