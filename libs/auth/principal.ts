import type { Permission, Role } from './permissions';

/** Who is calling: a user (customer, staff, admin) or a machine client, as its access token says. */
export interface Principal {
  readonly id: string;
  readonly kind: 'user' | 'client';
  readonly roles: readonly Role[];
  readonly permissions: ReadonlySet<Permission>;
}

/**
 * The principal's id when it may only see its own `own` resources, undefined when `all` lets it
 * see everyone's. Routes require one of the two, so a principal holding neither never gets here.
 */
export function ownerScope(principal: Principal, all: Permission): string | undefined {
  return principal.permissions.has(all) ? undefined : principal.id;
}
