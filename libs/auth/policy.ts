import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ProblemResponses } from '../http';
import type { Permission } from './permissions';
import type { Principal } from './principal';

/** Who may call a route. Every route declares one; the application refuses to start otherwise. */
export type Policy =
  | { readonly kind: 'public' }
  | { readonly kind: 'requires'; readonly anyOf: readonly Permission[] }
  /** An operations endpoint (metrics): public unless configuration restricts it to `permission`. */
  | { readonly kind: 'operations'; readonly permission: Permission };

export const POLICY = 'auth:policy';
/** OpenAPI extension that lists an operation's permissions; the document's descriptions name their roles. */
export const PERMISSIONS_EXTENSION = 'x-permissions';

/** Anyone may call it, with or without a token (a token sent must still be valid). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(POLICY, { kind: 'public' } satisfies Policy);

/** Only a caller whose token grants at least one of `anyOf`: 401 without a valid token, 403 without the permission. */
export function Requires(...anyOf: [Permission, ...Permission[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(POLICY, { kind: 'requires', anyOf } satisfies Policy),
    ApiBearerAuth(),
    ApiExtension(PERMISSIONS_EXTENSION, anyOf),
    ProblemResponses(401, 403),
  );
}

export function OperationsEndpoint(permission: Permission): MethodDecorator & ClassDecorator {
  return SetMetadata(POLICY, { kind: 'operations', permission } satisfies Policy);
}

/** The authenticated caller of a route that `@Requires` a permission. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ user: Principal }>().user;
});
