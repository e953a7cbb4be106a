import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ExtractJwt } from 'passport-jwt';
import type { Principal } from './principal';

/** How many verified tokens a process keeps: about 5 MB of tokens at most. */
const MAX_REMEMBERED = 10_000;

const bearerTokenOf = ExtractJwt.fromAuthHeaderAsBearerToken();

/** The access token of a request's `Authorization: Bearer` header, read as passport-jwt reads it. */
export function accessTokenOf(request: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  return bearerTokenOf(request) ?? undefined;
}

/**
 * Access tokens this process has verified, and whom they name, until each one's `exp`. A token
 * is the same string for its whole life and nothing about it can change, so a repeat costs a
 * lookup instead of a signature check. Only the exact string that passed verification is
 * remembered. Keys rotated out of the JWKS stop new tokens at once and remembered ones at their
 * expiry, as with any stateless token.
 */
@Injectable()
export class VerifiedAccessTokens {
  private readonly verified = new LRUCache<string, { principal: Principal; expiresAtMs: number }>({ max: MAX_REMEMBERED });

  /** Whom `token` names, when this process verified it and it has not expired since. */
  principalOf(token: string): Principal | undefined {
    const known = this.verified.get(token);
    if (known === undefined) return undefined;
    if (known.expiresAtMs > Date.now()) return known.principal;
    this.verified.delete(token);
    return undefined;
  }

  remember(token: string, principal: Principal, expiresAtSeconds: number): void {
    const expiresAtMs = expiresAtSeconds * 1000;
    if (expiresAtMs > Date.now()) this.verified.set(token, { principal, expiresAtMs });
  }
}
