import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UserRegisteredV1 } from '../../../../../libs/contracts/identity';
import { UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { normalizeEmail } from '../../domain/email';
import { PasswordHasher } from '../../infrastructure/password-hasher';
import { UserRepository } from '../../infrastructure/user.repository';
import { RegisterUserCommand } from './account.commands';

/**
 * Registers a customer. The password is hashed whether or not the email is taken, and the
 * answer is the same, so neither the answer nor its timing tells whether an account exists.
 */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute({ email, password }: RegisterUserCommand): Promise<void> {
    const user = { id: newId(), email: normalizeEmail(email), passwordHash: await this.hasher.hash(password), roles: ['customer' as const] };
    await this.unitOfWork.run(async (tx) => {
      if (!(await this.users.insert(tx.manager, user))) return;
      tx.publish(new UserRegisteredV1({ userId: user.id, email: user.email, registeredAt: new Date().toISOString() }), user.id);
    });
  }
}
