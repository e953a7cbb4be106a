import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UserRepository } from '../../infrastructure/user.repository';
import { AccessToken, TokenIssuer } from '../token-issuer';
import { IssueDevelopmentStaffTokenCommand } from './session.commands';

/** The nil UUID: the token stands for no account, so nothing it does is recorded as some user's. */
const DEVELOPMENT_STAFF_SUBJECT = '00000000-0000-0000-0000-000000000000';

/** Grants what the staff role is granted now (the role_permission table), not a fixed list. */
@CommandHandler(IssueDevelopmentStaffTokenCommand)
export class IssueDevelopmentStaffTokenHandler implements ICommandHandler<IssueDevelopmentStaffTokenCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute(): Promise<AccessToken> {
    const permissions = await this.users.permissionsOf(['staff']);
    return this.tokens.accessToken({ subject: DEVELOPMENT_STAFF_SUBJECT, roles: ['staff'], permissions });
  }
}
