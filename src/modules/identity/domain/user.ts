import type { Permission, Role } from '../../../../libs/auth/permissions';

export interface User {
  id: string;
  /** Absent, with the password, on an account made by signing in with a wallet. */
  email?: string;
  passwordHash?: string;
  roles: Role[];
  createdAt: Date;
}

/** An account that logs in with its email and password: the database keeps the two together. */
export type PasswordUser = User & { email: string; passwordHash: string };

/** What an access token carries about its holder. */
export interface Grants {
  subject: string;
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
  /** Set for a machine client's token (RFC 9068 `client_id`). */
  clientId?: string;
}
