import { Command, Query } from '@nestjs/cqrs';
import type { Role } from '../../../../../libs/auth';
import type { User } from '../../domain/user';

/** Creates a customer account unless the email is taken; answers the same either way. */
export class RegisterUserCommand extends Command<void> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}

/** Makes the account with this email an admin, creating it with `password` if there is none. */
export class GrantAdminCommand extends Command<{ user: User; created: boolean }> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}

export class SetUserRolesCommand extends Command<User> {
  constructor(
    readonly userId: string,
    readonly roles: Role[],
  ) {
    super();
  }
}

export class GetUserQuery extends Query<User | undefined> {
  constructor(readonly userId: string) {
    super();
  }
}
