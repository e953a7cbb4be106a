import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { IDENTITY_OPTIONS, IdentityOptions } from '../../identity.options';
import { WalletNonceRepository } from '../../infrastructure/wallet-nonce.repository';
import { IssueWalletNonceCommand } from './wallet.commands';

/**
 * 128 random bits as 32 hex characters, alphanumeric as EIP-4361 requires. Not viem's
 * generateSiweNonce: it draws from Math.random, which is predictable.
 */
@CommandHandler(IssueWalletNonceCommand)
export class IssueWalletNonceHandler implements ICommandHandler<IssueWalletNonceCommand> {
  constructor(
    private readonly nonces: WalletNonceRepository,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions,
  ) {}

  async execute(): Promise<{ nonce: string; expiresAt: Date }> {
    const nonce = randomBytes(16).toString('hex');
    const expiresAt = new Date(Date.now() + this.options.wallet.nonceTtlSeconds * 1000);
    await this.nonces.insert(nonce, expiresAt);
    return { nonce, expiresAt };
  }
}
