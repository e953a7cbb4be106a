import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { LastWayToSignInError, UnknownUserError, UnknownWalletError } from '../../domain/identity.errors';
import { normalizeAddress } from '../../domain/wallet';
import { UserRepository } from '../../infrastructure/user.repository';
import { WalletRepository } from '../../infrastructure/wallet.repository';
import { UnlinkWalletCommand } from './wallet.commands';

/**
 * Unlinks one of the caller's wallets. An account without a password keeps at least one: the
 * account is locked first, so two unlinks at once cannot each leave the other wallet as the last.
 */
@CommandHandler(UnlinkWalletCommand)
export class UnlinkWalletHandler implements ICommandHandler<UnlinkWalletCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly wallets: WalletRepository,
    private readonly users: UserRepository,
  ) {}

  execute({ userId, address }: UnlinkWalletCommand): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      const user = await this.users.lock(tx.manager, userId);
      if (!user) throw new UnknownUserError(userId);
      if (!(await this.wallets.remove(tx.manager, userId, normalizeAddress(address)))) throw new UnknownWalletError();
      if (user.passwordHash === undefined && (await this.wallets.listOf(userId, tx.manager)).length === 0) throw new LastWayToSignInError();
    });
  }
}
