/** Wrong email or password: deliberately the same error for both, so it reveals neither. */
export class InvalidCredentialsError extends Error {
  constructor() {
    super('the email or password is wrong');
  }
}

/** A refresh token that is unknown, expired, revoked, or already used. */
export class InvalidRefreshTokenError extends Error {
  constructor() {
    super('the refresh token is invalid, expired or revoked');
  }
}

/** A machine client that is unknown or revoked, or a wrong secret. */
export class InvalidClientError extends Error {
  constructor() {
    super('the client id or secret is wrong, or the client was revoked');
  }
}

export class UnknownUserError extends Error {
  constructor(readonly userId: string) {
    super(`user ${userId} does not exist`);
  }
}

export class UnknownClientError extends Error {
  constructor(readonly clientId: string) {
    super(`client ${clientId} does not exist`);
  }
}

/**
 * A wallet's sign-in message refused: a bad signature, another domain or chain, an unknown, used
 * or expired nonce, or outside its validity period. The reason helps an honest wallet app; none
 * tells anything about accounts.
 */
export class InvalidWalletSignInError extends Error {
  constructor(reason: string) {
    super(`the signed message is refused: ${reason}`);
  }
}

export class WalletOfAnotherAccountError extends Error {
  constructor() {
    super('this wallet is linked to another account');
  }
}

/** No wallet of the caller's has this address: a stranger's wallet is as unknown as none. */
export class UnknownWalletError extends Error {
  constructor() {
    super('no wallet with this address is linked to your account');
  }
}

/** Unlinking it would leave an account without email and password no way to sign in. */
export class LastWayToSignInError extends Error {
  constructor() {
    super('this wallet is the only way to sign in to your account: link another one first');
  }
}
