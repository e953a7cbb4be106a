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

/** Marks an operations endpoint in the OpenAPI document; describePolicies documents it as configured. */
export const OPERATIONS_EXTENSION = 'x-operations-endpoint';

/** What the OpenAPI document says of a route that needs one of `anyOf`. */
function documentedAsProtected(anyOf: readonly Permission[]): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(), ApiExtension(PERMISSIONS_EXTENSION, anyOf), ProblemResponses(401, 403));
}

/** Only a caller whose token grants at least one of `anyOf`: 401 without a valid token, 403 without the permission. */
export function Requires(...anyOf: [Permission, ...Permission[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(POLICY, { kind: 'requires', anyOf } satisfies Policy), documentedAsProtected(anyOf));
}

/**
 * Documented as protected by `permission`; where configuration makes it public, describePolicies
 * takes that out of the document again, so the document says what the guard does either way.
 */
export function OperationsEndpoint(permission: Permission): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(POLICY, { kind: 'operations', permission } satisfies Policy),
    documentedAsProtected([permission]),
    ApiExtension(OPERATIONS_EXTENSION, true),
  );
}

/** The authenticated caller of a route that `@Requires` a permission. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ user: Principal }>().user;
});
