import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { normalizeEmail } from '../../domain/email';
import type { User } from '../../domain/user';
import { PasswordHasher } from '../../infrastructure/password-hasher';
import { UserRepository } from '../../infrastructure/user.repository';
import { GrantAdminCommand } from './account.commands';

/** The way admins come to be (the CLI, or ADMIN_EMAIL at start): never a public endpoint. */
@CommandHandler(GrantAdminCommand)
export class GrantAdminHandler implements ICommandHandler<GrantAdminCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute({ email, password }: GrantAdminCommand): Promise<{ user: User; created: boolean }> {
    const normalized = normalizeEmail(email);
    const passwordHash = await this.hasher.hash(password);
    return this.unitOfWork.run(async (tx) => {
      const existing = await this.users.grantRole(tx.manager, normalized, 'admin');
      if (existing) return { user: existing, created: false };
      const user = { id: newId(), email: normalized, passwordHash, roles: ['admin' as const] };
      await this.users.insert(tx.manager, user);
      return { user: { ...user, createdAt: new Date() }, created: true };
    });
  }
}
