import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from 'typeorm';
import { UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { UserRepository } from '../../infrastructure/user.repository';
import { WalletRepository } from '../../infrastructure/wallet.repository';
import { Session, TokenIssuer } from '../token-issuer';
import { SignInMessageVerifier } from './sign-in-message-verifier';
import { SignInWithWalletCommand } from './wallet.commands';

/**
 * Opens a session for the wallet's account, as a password login does. The nonce is used up with
 * the session, in one transaction: a refused message leaves it as it was.
 *
 * A wallet seen for the first time makes a customer account with neither email nor password.
 * It publishes no UserRegistered: that event gives other contexts an address to write to, and
 * this account has none.
 */
@CommandHandler(SignInWithWalletCommand)
export class SignInWithWalletHandler implements ICommandHandler<SignInWithWalletCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly verifier: SignInMessageVerifier,
    private readonly wallets: WalletRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute({ message, signature }: SignInWithWalletCommand): Promise<Session> {
    const signIn = await this.verifier.verify(message, signature);
    return this.unitOfWork.run(async (tx) => {
      await this.verifier.useNonce(tx.manager, signIn);
      await this.wallets.lockAddress(tx.manager, signIn.address);
      const userId = (await this.wallets.find(tx.manager, signIn.address))?.userId ?? (await this.newAccount(tx.manager, signIn.address));
      const user = await this.users.findById(userId, tx.manager);
      if (!user) throw new Error(`wallet ${signIn.address} belongs to user ${userId}, who does not exist`);
      const permissions = await this.users.permissionsOf(user.roles, tx.manager);
      return this.tokens.session(tx.manager, { subject: user.id, roles: user.roles, permissions });
    });
  }

  private async newAccount(manager: EntityManager, address: string): Promise<string> {
    const id = newId();
    await this.users.insert(manager, { id, roles: ['customer'] });
    await this.wallets.add(manager, address, id);
    return id;
  }
}
