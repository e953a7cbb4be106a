import { Command, Query } from '@nestjs/cqrs';
import type { Wallet } from '../../domain/wallet';
import type { Session } from '../token-issuer';

/** A nonce for a wallet's next sign-in message, and when it expires. */
export class IssueWalletNonceCommand extends Command<{ nonce: string; expiresAt: Date }> {}

/** Sign-In with Ethereum: the wallet's account's session, the account made if the wallet is new. */
export class SignInWithWalletCommand extends Command<Session> {
  constructor(
    readonly message: string,
    readonly signature: `0x${string}`,
  ) {
    super();
  }
}

/** Links the wallet that signed the message to the user's account. */
export class LinkWalletCommand extends Command<Wallet> {
  constructor(
    readonly userId: string,
    readonly message: string,
    readonly signature: `0x${string}`,
  ) {
    super();
  }
}

export class UnlinkWalletCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly address: string,
  ) {
    super();
  }
}

export class ListWalletsQuery extends Query<Wallet[]> {
  constructor(readonly userId: string) {
    super();
  }
}
