import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { normalizeEmail } from '../../domain/email';
import { InvalidCredentialsError } from '../../domain/identity.errors';
import { PasswordHasher } from '../../infrastructure/password-hasher';
import { UserRepository } from '../../infrastructure/user.repository';
import { Session, TokenIssuer } from '../token-issuer';
import { LogInCommand } from './session.commands';

/**
 * Checks the password and opens a session. An unknown email costs a verification too, and both
 * failures are one error, so a caller cannot tell which accounts exist.
 */
@CommandHandler(LogInCommand)
export class LogInHandler implements ICommandHandler<LogInCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute({ email, password }: LogInCommand): Promise<Session> {
    const user = await this.users.findByEmail(normalizeEmail(email));
    const valid = user ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyNobody(password);
    if (!user || !valid) throw new InvalidCredentialsError();
    // The only moment the password is known: upgrade a hash made with older parameters.
    if (this.hasher.outdated(user.passwordHash)) await this.users.setPasswordHash(user.id, await this.hasher.hash(password));
    const permissions = await this.users.permissionsOf(user.roles);
    return this.unitOfWork.run((tx) => this.tokens.session(tx.manager, { subject: user.id, roles: user.roles, permissions }));
  }
}
