import type { Permission, Role } from '../../../../libs/auth/permissions';

export interface User {
  id: string;
  email: string;
  passwordHash: string;
  roles: Role[];
  createdAt: Date;
}

/** What an access token carries about its holder. */
export interface Grants {
  subject: string;
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
  /** Set for a machine client's token (RFC 9068 `client_id`). */
  clientId?: string;
}
