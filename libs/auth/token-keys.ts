import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { StartupError } from '../startup';

/** The one signature algorithm access tokens use; verification accepts no other (RFC 8725 §3.1). */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** Where a verifier finds the public key a token's `kid` names. */
export interface VerificationKeys {
  keyFor(kid: string): Promise<KeyObject | undefined>;
}
export const VERIFICATION_KEYS = Symbol('VERIFICATION_KEYS');

/** RFC 7638 thumbprint of an EC public key: a `kid` every process derives alike. */
function thumbprintOf(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The P-256 key that signs access tokens, in the process that hosts identity. From JWT_PRIVATE_KEY
 * when set (every instance of identity shares it); otherwise made at start, so tokens signed
 * before a restart stop verifying and clients refresh them.
 */
export class SigningKey implements VerificationKeys {
  readonly kid: string;
  private readonly publicJwk: JsonWebKey;

  private constructor(
    readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
  ) {
    this.publicJwk = publicKey.export({ format: 'jwk' });
    this.kid = thumbprintOf(this.publicJwk);
  }

  static fromPem(pem: string | undefined): SigningKey {
    if (pem === undefined) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return new SigningKey(privateKey, publicKey);
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch {
      throw new StartupError('JWT_PRIVATE_KEY must be a PEM private key (EC, curve P-256)');
    }
    if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new StartupError('JWT_PRIVATE_KEY must be an EC private key on curve P-256, as ES256 needs');
    }
    return new SigningKey(privateKey, createPublicKey(privateKey));
  }

  /** The JSON Web Key Set other processes and the gateway verify with. */
  jwks(): { keys: JsonWebKey[] } {
    return { keys: [{ ...this.publicJwk, kid: this.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' }] };
  }

  keyFor(kid: string): Promise<KeyObject | undefined> {
    return Promise.resolve(kid === this.kid ? this.publicKey : undefined);
  }
}

/** The identity process' keys could not be fetched: no token can be judged now. */
export class KeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the access token keys cannot be fetched', { cause });
  }
}

/**
 * The keys of the identity process, fetched from its JWKS endpoint by a process that does not
 * host identity. Cached; an unknown `kid` (a rotated key) fetches again, at most 10 times a minute.
 */
export class RemoteVerificationKeys implements VerificationKeys {
  private readonly client: JwksClient;

  constructor(jwksUrl: string) {
    this.client = new JwksClient({ jwksUri: jwksUrl, cache: true, rateLimit: true, jwksRequestsPerMinute: 10, timeout: 5000 });
  }

  async keyFor(kid: string): Promise<KeyObject | undefined> {
    try {
      return createPublicKey((await this.client.getSigningKey(kid)).getPublicKey());
    } catch (error) {
      // An unknown key makes the token invalid; an unreachable endpoint is this side's failure.
      if (error instanceof Error && error.name === 'SigningKeyNotFoundError') return undefined;
      throw new KeysUnavailableError(error);
    }
  }
}
