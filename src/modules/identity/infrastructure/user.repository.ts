import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isPermission, type Permission, type Role } from '../../../../libs/auth';
import { rowsOf } from '../../../../libs/persistence';
import type { PasswordUser, User } from '../domain/user';

interface UserRow {
  id: string;
  email: string | null;
  password_hash: string | null;
  roles: Role[];
  created_at: Date;
}

const COLUMNS = 'id, email, password_hash, roles, created_at';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    ...(row.email === null ? {} : { email: row.email }),
    ...(row.password_hash === null ? {} : { passwordHash: row.password_hash }),
    roles: row.roles,
    createdAt: new Date(row.created_at),
  };
}

/** `identity.user` and `identity.role_permission`. */
@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** False when the email is taken: then nothing is written. An account without email is never refused. */
  async insert(manager: EntityManager, user: Omit<User, 'createdAt'>): Promise<boolean> {
    const rows = rowsOf(
      await manager.query(
        `INSERT INTO identity.user (id, email, password_hash, roles) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [user.id, user.email ?? null, user.passwordHash ?? null, user.roles],
      ),
    );
    return rows.length === 1;
  }

  async findByEmail(email: string): Promise<PasswordUser | undefined> {
    const [row] = await this.dataSource.query<UserRow[]>(`SELECT ${COLUMNS} FROM identity.user WHERE email = $1`, [email]);
    // The user_email_with_password constraint: a row with an email has a password hash.
    return row && (toUser(row) as PasswordUser);
  }

  /** Inside a transaction, pass its manager: on the embedded database a second session would wait for it. */
  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | undefined> {
    const [row] = rowsOf<UserRow>(await manager.query(`SELECT ${COLUMNS} FROM identity.user WHERE id = $1`, [id]));
    return row && toUser(row);
  }

  /** Held until the transaction ends: changes to one account's ways to sign in happen one at a time. */
  async lock(manager: EntityManager, id: string): Promise<User | undefined> {
    const [row] = rowsOf<UserRow>(await manager.query(`SELECT ${COLUMNS} FROM identity.user WHERE id = $1 FOR UPDATE`, [id]));
    return row && toUser(row);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.dataSource.query('UPDATE identity.user SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
  }

  /** The user with its new roles; undefined when there is no such user. */
  async setRoles(manager: EntityManager, id: string, roles: readonly Role[]): Promise<User | undefined> {
    const [row] = rowsOf<UserRow>(
      await manager.query(`UPDATE identity.user SET roles = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, roles]),
    );
    return row && toUser(row);
  }

  /** Adds `role` to the user with this email; undefined when there is none. */
  async grantRole(manager: EntityManager, email: string, role: Role): Promise<User | undefined> {
    const [row] = rowsOf<UserRow>(
      await manager.query(
        `UPDATE identity.user SET roles = CASE WHEN $2 = ANY(roles) THEN roles ELSE roles || $2::text END
         WHERE email = $1 RETURNING ${COLUMNS}`,
        [email, role],
      ),
    );
    return row && toUser(row);
  }

  /** What the roles grant, read from the role_permission table. */
  async permissionsOf(roles: readonly Role[], manager: EntityManager = this.dataSource.manager): Promise<Set<Permission>> {
    const rows = rowsOf<{ permission: string }>(
      await manager.query('SELECT DISTINCT permission FROM identity.role_permission WHERE role = ANY($1::text[])', [roles]),
    );
    return new Set(rows.map((row) => row.permission).filter(isPermission));
  }
}
