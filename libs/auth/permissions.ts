/** The roles a user can hold. Which permissions each grants is data, in identity's role_permission table. */
export const ROLES = ['customer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a route can require. A route names the permissions that let a caller in; roles are granted them. */
export const PERMISSIONS = [
  'profile:read',
  'orders:place',
  'orders:read-own',
  'orders:read-all',
  'payments:read-own',
  'payments:read-all',
  'payments:refund',
  'notifications:read-own',
  'notifications:read-all',
  'notifications:resend',
  'notifications:preferences-own',
  'catalog:write',
  'inventory:write',
  'dead-letters:manage',
  'users:manage',
  'clients:manage',
  'metrics:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * The grants the identity schema starts with, shown in the API documentation as "by default".
 * An operator may change the table; the documentation then describes the defaults only.
 */
export const DEFAULT_GRANTS: Readonly<Record<Permission, readonly Role[]>> = {
  'profile:read': ['customer', 'staff', 'admin'],
  'orders:place': ['customer'],
  'orders:read-own': ['customer'],
  'orders:read-all': ['staff', 'admin'],
  'payments:read-own': ['customer'],
  'payments:read-all': ['staff', 'admin'],
  'payments:refund': ['staff', 'admin'],
  'notifications:read-own': ['customer'],
  'notifications:read-all': ['staff', 'admin'],
  'notifications:resend': ['staff', 'admin'],
  'notifications:preferences-own': ['customer'],
  'catalog:write': ['staff', 'admin'],
  'inventory:write': ['staff', 'admin'],
  'dead-letters:manage': ['staff', 'admin'],
  'users:manage': ['admin'],
  'clients:manage': ['admin'],
  'metrics:read': ['admin'],
};
