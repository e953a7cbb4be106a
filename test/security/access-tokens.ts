import { createHash, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { type JwtHeader, sign } from 'jsonwebtoken';
import type { Permission, Role } from '../../libs/auth';

/** The issuer and audience of TEST_ENV, which sets neither: the defaults of JWT_ISSUER and JWT_AUDIENCE. */
const ISSUER = 'commerce-core';
const AUDIENCE = 'commerce-api';

export type Claims = Record<string, unknown>;
export type Header = Record<string, unknown>;

function base64url(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

/** A JWT put together part by part; `signature` signs the first two, as an attacker would. */
export function compactJwt(header: Header, claims: Claims, signature: (signingInput: string) => Buffer): string {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  return `${signingInput}.${signature(signingInput).toString('base64url')}`;
}

/**
 * A P-256 key pair that the app under test is given as JWT_PRIVATE_KEY, so that a test can mint
 * access tokens with exactly the header and claims it needs: valid ones, and each way of not being one.
 */
export class TokenMint {
  /** RFC 7638 thumbprint of the public key: the `kid` the app derives for it too. */
  readonly kid: string;
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;

  private constructor(
    private readonly privateKey: KeyObject,
    publicKey: KeyObject,
  ) {
    const { crv, kty, x, y } = publicKey.export({ format: 'jwk' });
    this.kid = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
    this.publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    this.privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  static generate(): TokenMint {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return new TokenMint(privateKey, publicKey);
  }

  /** The environment that makes the app sign and verify with this key. */
  get env(): { JWT_PRIVATE_KEY: string } {
    return { JWT_PRIVATE_KEY: this.privateKeyPem };
  }

  /** The header our access tokens carry; entries of `changes` replace it, `undefined` ones remove it. */
  header(changes: Header = {}): Header {
    return withoutUndefined({ alg: 'ES256', typ: 'at+jwt', kid: this.kid, ...changes });
  }

  /** Claims of an access token valid for five minutes, changed as with `header`. */
  claims(changes: Claims = {}): Claims {
    const now = Math.floor(Date.now() / 1000);
    return withoutUndefined({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: randomUUID(),
      iat: now,
      nbf: now,
      exp: now + 300,
      jti: randomUUID(),
      scope: '',
      roles: [],
      ...changes,
    });
  }

  /** An access token for `sub` granting `permissions`, signed with this key. */
  accessToken(sub: string, permissions: readonly string[], roles: readonly Role[] = []): string {
    return this.sign(this.claims({ sub, scope: permissions.join(' '), roles }));
  }

  /** Signed with this key (ES256), under exactly the given header and claims. */
  sign(claims: Claims, header: Header = this.header()): string {
    // jsonwebtoken adds `typ: JWT` to a header without one, unless told `undefined`.
    const exactly = { typ: undefined, kid: undefined, ...header } as unknown as JwtHeader;
    return sign(claims, this.privateKey, { algorithm: 'ES256', header: exactly });
  }
}

function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** The permissions a token grants, as its `scope` claim lists them. */
export function scopeOf(token: string): Permission[] {
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { scope: string };
  return claims.scope.split(' ') as Permission[];
}
