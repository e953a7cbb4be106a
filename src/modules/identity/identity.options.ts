export interface IdentityOptions {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** argon2id cost; raising it rehashes each password at its owner's next login. */
  passwordHashing: { memoryKib: number; iterations: number };
  /** An admin ensured at start, for a first deployment without the CLI. */
  admin?: { email: string; password: string };
}
export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');
