import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { UnknownUserError, WalletOfAnotherAccountError } from '../../domain/identity.errors';
import type { Wallet } from '../../domain/wallet';
import { UserRepository } from '../../infrastructure/user.repository';
import { WalletRepository } from '../../infrastructure/wallet.repository';
import { SignInMessageVerifier } from './sign-in-message-verifier';
import { LinkWalletCommand } from './wallet.commands';

/**
 * Links a wallet to the caller's account, proven by a sign-in message like the one a sign-in
 * takes. Linking a wallet the account has already is no error; another account's is, and then the
 * nonce stays unused, as for any refusal.
 */
@CommandHandler(LinkWalletCommand)
export class LinkWalletHandler implements ICommandHandler<LinkWalletCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly verifier: SignInMessageVerifier,
    private readonly wallets: WalletRepository,
    private readonly users: UserRepository,
  ) {}

  async execute({ userId, message, signature }: LinkWalletCommand): Promise<Wallet> {
    const signIn = await this.verifier.verify(message, signature);
    return this.unitOfWork.run(async (tx) => {
      await this.verifier.useNonce(tx.manager, signIn);
      if (!(await this.users.lock(tx.manager, userId))) throw new UnknownUserError(userId);
      await this.wallets.lockAddress(tx.manager, signIn.address);
      const linked = await this.wallets.find(tx.manager, signIn.address);
      if (linked && linked.userId !== userId) throw new WalletOfAnotherAccountError();
      return linked ?? (await this.wallets.add(tx.manager, signIn.address, userId));
    });
  }
}
