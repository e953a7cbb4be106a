import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Jwt, JwtPayload } from 'jsonwebtoken';
import { decode } from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import { isPermission, ROLES, type Role } from './permissions';
import type { Principal } from './principal';
import { ACCESS_TOKEN_ALGORITHM, VERIFICATION_KEYS, type VerificationKeys } from './token-keys';
import { accessTokenOf, VerifiedAccessTokens } from './verified-access-tokens';

/** The `typ` header of our access tokens (RFC 9068), so no other JWT of ours passes for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** A token that verified but does not have the shape of an access token. */
export class MalformedAccessTokenError extends Error {}

function principalOf(token: Jwt): { principal: Principal; expiresAtSeconds: number } {
  const claims = token.payload as JwtPayload & { scope?: unknown; roles?: unknown; client_id?: unknown };
  if (token.header.typ !== ACCESS_TOKEN_TYPE) throw new MalformedAccessTokenError(`typ is not ${ACCESS_TOKEN_TYPE}`);
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || typeof claims.scope !== 'string') {
    throw new MalformedAccessTokenError('sub, exp and scope are required');
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [];
  const principal: Principal = {
    id: claims.sub,
    kind: typeof claims.client_id === 'string' ? 'client' : 'user',
    roles,
    permissions: new Set(claims.scope.split(' ').filter(isPermission)),
  };
  return { principal, expiresAtSeconds: claims.exp };
}

/**
 * Verifies `Authorization: Bearer` access tokens through passport-jwt: ES256 only (so neither
 * `alg: none` nor an HMAC made with the public key passes), the key named by `kid`, `exp` and
 * `nbf` with 5 s of clock skew, `iss`, `aud` and the `at+jwt` type (RFC 8725). A token that
 * passes is remembered until it expires, so the policy guard checks its signature once.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(AUTH_OPTIONS) options: AuthOptions,
    @Inject(VERIFICATION_KEYS) keys: VerificationKeys,
    private readonly verified: VerifiedAccessTokens,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request: unknown, rawToken: string, done: (error: unknown, key?: string | Buffer) => void) => {
        const kid = decode(rawToken, { complete: true })?.header.kid;
        if (typeof kid !== 'string') return done(new MalformedAccessTokenError('kid is required'));
        keys.keyFor(kid).then(
          // jsonwebtoken takes a KeyObject, which passport-jwt's types do not list.
          (key) => (key ? done(null, key as unknown as Buffer) : done(new MalformedAccessTokenError(`no key ${kid}`))),
          (error: unknown) => done(error),
        );
      },
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: options.issuer,
      audience: options.audience,
      jsonWebTokenOptions: { complete: true, clockTolerance: 5 },
      passReqToCallback: true,
    });
  }

  validate(request: Parameters<typeof accessTokenOf>[0], token: Jwt): Principal {
    const { principal, expiresAtSeconds } = principalOf(token);
    const raw = accessTokenOf(request);
    if (raw !== undefined) this.verified.remember(raw, principal, expiresAtSeconds);
    return principal;
  }
}
