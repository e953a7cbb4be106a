export interface IdentityOptions {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * argon2id cost; raising it rehashes each password at its owner's next login. At most
   * `concurrency` hashes run at once, each holding `memoryKib` while it runs.
   */
  passwordHashing: { memoryKib: number; iterations: number; concurrency: number };
  /** Sign-In with Ethereum (EIP-4361): what a wallet's sign-in message must say to be accepted. */
  wallet: WalletSignInOptions;
  /** An admin ensured at start, for a first deployment without the CLI. */
  admin?: { email: string; password: string };
}
export interface WalletSignInOptions {
  /** The RFC 3986 authority (host, and port unless the default) the message must name, as a browser wallet fills it in. */
  domain: string;
  /** EIP-155 chain ids a message may name. */
  allowedChainIds: number[];
  /** How long a nonce may wait for its signed message. */
  nonceTtlSeconds: number;
}

export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');
