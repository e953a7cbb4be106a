import {
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { UnauthenticatedException } from '../http';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import { POLICY, type Policy } from './policy';
import type { Principal } from './principal';
import { KeysUnavailableError } from './token-keys';
import { accessTokenOf, VerifiedAccessTokens } from './verified-access-tokens';

/** The challenge of a 401: this API takes Bearer access tokens (RFC 6750). */
export const BEARER_CHALLENGE = 'Bearer realm="commerce"';

function bearerSent(request: FastifyRequest): boolean {
  return /^bearer /i.test(request.headers.authorization ?? '');
}

/**
 * Every HTTP route's door: applies the route's policy. Public routes let anyone in; a token sent
 * to one must still be valid. Protected routes need a valid access token (401) granting one of
 * their permissions (403).
 */
@Injectable()
export class PolicyGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly verified: VerifiedAccessTokens,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // Message handlers are reached through the outbox, never by a caller.
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<Policy | undefined>(POLICY, [context.getHandler(), context.getClass()]);
    if (policy === undefined) throw new ForbiddenException('this route declares no policy');
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const open = policy.kind === 'public' || (policy.kind === 'operations' && this.options.publicMetrics);
    if (open && request.headers.authorization === undefined) return true;
    const token = accessTokenOf(request);
    const known = token === undefined ? undefined : this.verified.principalOf(token);
    if (known) request.user = known;
    else await super.canActivate(context);
    if (open) return true;
    const anyOf = policy.kind === 'requires' ? policy.anyOf : [policy.permission];
    if (!anyOf.some((permission) => request.user?.permissions.has(permission))) {
      throw new ForbiddenException(`this operation needs the permission ${anyOf.join(' or ')}`);
    }
    return true;
  }

  override handleRequest<P = Principal>(error: unknown, principal: P | false, info: unknown, context: ExecutionContext): P {
    if (error instanceof KeysUnavailableError || info instanceof KeysUnavailableError) {
      throw new ServiceUnavailableException('access tokens cannot be verified now');
    }
    if (error || !principal) {
      if (!bearerSent(context.switchToHttp().getRequest<FastifyRequest>())) {
        throw new UnauthenticatedException('this operation needs a Bearer access token', BEARER_CHALLENGE);
      }
      throw new UnauthenticatedException('the access token is invalid or expired', `${BEARER_CHALLENGE}, error="invalid_token"`);
    }
    return principal;
  }
}
