import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { UnknownUserError } from '../../domain/identity.errors';
import type { User } from '../../domain/user';
import { UserRepository } from '../../infrastructure/user.repository';
import { SetUserRolesCommand } from './account.commands';

/** Takes effect with the user's next access token, at most one token lifetime later. */
@CommandHandler(SetUserRolesCommand)
export class SetUserRolesHandler implements ICommandHandler<SetUserRolesCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UserRepository,
  ) {}

  execute({ userId, roles }: SetUserRolesCommand): Promise<User> {
    return this.unitOfWork.run(async (tx) => {
      const user = await this.users.setRoles(tx.manager, userId, [...new Set(roles)]);
      if (!user) throw new UnknownUserError(userId);
      return user;
    });
  }
}
