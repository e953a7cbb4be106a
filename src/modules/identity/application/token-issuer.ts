import { Inject, Injectable } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE, AUTH_OPTIONS, AuthOptions, SigningKey } from '../../../../libs/auth';
import type { Grants } from '../domain/user';
import { IDENTITY_OPTIONS, IdentityOptions } from '../identity.options';
import { RefreshTokenRepository } from '../infrastructure/refresh-token.repository';

export interface AccessToken {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface Session extends AccessToken {
  refreshToken: string;
}

/** SHA-256 is enough for a 256-bit random token: nothing to guess, unlike a password. */
export function hashOfSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Signs access tokens (ES256, RFC 9068 claims) and hands out rotating refresh tokens. */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    @Inject(AUTH_OPTIONS) private readonly auth: AuthOptions,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions,
    private readonly refreshTokens: RefreshTokenRepository,
  ) {}

  accessToken(grants: Grants): AccessToken {
    const expiresIn = this.options.accessTokenTtlSeconds;
    const claims = {
      scope: [...grants.permissions].join(' '),
      roles: grants.roles,
      ...(grants.clientId === undefined ? {} : { client_id: grants.clientId }),
    };
    const accessToken = sign(claims, this.key.privateKey, {
      algorithm: ACCESS_TOKEN_ALGORITHM,
      keyid: this.key.kid,
      header: { alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE },
      issuer: this.auth.issuer,
      audience: this.auth.audience,
      subject: grants.subject,
      jwtid: randomUUID(),
      expiresIn,
      notBefore: 0,
    });
    return { accessToken, expiresIn };
  }

  /** A new session, or the next one of `familyId` when a refresh token is rotated. */
  async session(manager: EntityManager, grants: Grants, familyId: string = randomUUID()): Promise<Session> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert(manager, {
      hash: hashOfSecret(refreshToken),
      familyId,
      userId: grants.subject,
      expiresAt: new Date(Date.now() + this.options.refreshTokenTtlSeconds * 1000),
    });
    return { ...this.accessToken(grants), refreshToken };
  }
}
