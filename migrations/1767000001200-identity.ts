import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `identity` schema, owned by the identity context: users, the permissions each role grants,
 * refresh tokens and machine clients. Secrets are stored as hashes only.
 */
export class Identity1767000001200 implements MigrationInterface {
  name = 'Identity1767000001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS identity`);
    await q.query(`
      CREATE TABLE identity.user (
        id uuid PRIMARY KEY,
        email text NOT NULL CONSTRAINT user_email_unique UNIQUE,
        password_hash text NOT NULL,
        roles text[] NOT NULL CONSTRAINT user_roles_known CHECK (roles <@ ARRAY['customer', 'staff', 'admin']),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Permissions as data: which role grants what. Routes name permissions, never roles.
    await q.query(`
      CREATE TABLE identity.role_permission (
        role text NOT NULL CONSTRAINT role_permission_role_known CHECK (role IN ('customer', 'staff', 'admin')),
        permission text NOT NULL,
        PRIMARY KEY (role, permission)
      )`);
    await q.query(`
      INSERT INTO identity.role_permission (role, permission) VALUES
        ('customer', 'profile:read'), ('staff', 'profile:read'), ('admin', 'profile:read'),
        ('customer', 'orders:place'),
        ('customer', 'orders:read-own'), ('staff', 'orders:read-all'), ('admin', 'orders:read-all'),
        ('customer', 'payments:read-own'), ('staff', 'payments:read-all'), ('admin', 'payments:read-all'),
        ('customer', 'notifications:read-own'), ('staff', 'notifications:read-all'), ('admin', 'notifications:read-all'),
        ('staff', 'catalog:write'), ('admin', 'catalog:write'),
        ('staff', 'inventory:write'), ('admin', 'inventory:write'),
        ('admin', 'dead-letters:manage'), ('admin', 'users:manage'), ('admin', 'clients:manage'), ('admin', 'metrics:read')`);
    // One row per refresh token ever issued; a family is one login's chain of rotations. A used
    // token presented again means it was stolen: the whole family is revoked.
    await q.query(`
      CREATE TABLE identity.refresh_token (
        token_hash bytea PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES identity.user (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_token_by_family ON identity.refresh_token (family_id)`);
    await q.query(`
      CREATE TABLE identity.client (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        secret_hash bytea NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA identity CASCADE`);
  }
}
