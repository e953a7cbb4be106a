import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { RefreshTokenRepository } from '../../infrastructure/refresh-token.repository';
import { hashOfSecret } from '../token-issuer';
import { LogOutCommand } from './session.commands';

/** Revokes the session's refresh tokens; an unknown token is no error (logging out twice is fine). */
@CommandHandler(LogOutCommand)
export class LogOutHandler implements ICommandHandler<LogOutCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly refreshTokens: RefreshTokenRepository,
  ) {}

  execute({ refreshToken }: LogOutCommand): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      const token = await this.refreshTokens.lock(tx.manager, hashOfSecret(refreshToken));
      if (token) await this.refreshTokens.revokeFamily(tx.manager, token.family_id);
    });
  }
}
