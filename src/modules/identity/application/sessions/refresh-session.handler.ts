import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { InvalidRefreshTokenError } from '../../domain/identity.errors';
import { RefreshTokenRepository } from '../../infrastructure/refresh-token.repository';
import { UserRepository } from '../../infrastructure/user.repository';
import { hashOfSecret, Session, TokenIssuer } from '../token-issuer';
import { RefreshSessionCommand } from './session.commands';

/**
 * Rotates a refresh token: the one presented is used up and a new one of the same family is
 * issued. A used token presented again means two holders, one of them a thief: the whole family
 * is revoked, so the thief's copy dies with the owner's (OAuth 2.0 Security BCP, §4.14).
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute({ refreshToken }: RefreshSessionCommand): Promise<Session> {
    const hash = hashOfSecret(refreshToken);
    // The revocation of a reused family must commit, so the refusal is thrown after the transaction.
    const session = await this.unitOfWork.run(async (tx) => {
      const token = await this.refreshTokens.lock(tx.manager, hash);
      if (!token || token.revoked_at !== null || new Date(token.expires_at).getTime() <= Date.now()) return undefined;
      if (token.used_at !== null) {
        await this.refreshTokens.revokeFamily(tx.manager, token.family_id);
        return undefined;
      }
      const user = await this.users.findById(token.user_id, tx.manager);
      if (!user) return undefined;
      await this.refreshTokens.markUsed(tx.manager, hash);
      const permissions = await this.users.permissionsOf(user.roles, tx.manager);
      return this.tokens.session(tx.manager, { subject: user.id, roles: user.roles, permissions }, token.family_id);
    });
    if (!session) throw new InvalidRefreshTokenError();
    return session;
  }
}
