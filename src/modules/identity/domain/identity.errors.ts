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
