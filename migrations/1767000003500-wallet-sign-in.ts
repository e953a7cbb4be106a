import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-In with Ethereum (EIP-4361): the wallets linked to each account, and the single-use nonces
 * a sign-in message must carry. An account made by a wallet has no email and no password, so both
 * become optional, but only together: an account with an email can always log in with its password.
 */
export class WalletSignIn1767000003500 implements MigrationInterface {
  name = 'WalletSignIn1767000003500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.user ALTER COLUMN email DROP NOT NULL, ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`
      ALTER TABLE identity.user ADD CONSTRAINT user_email_with_password CHECK ((email IS NULL) = (password_hash IS NULL))`);
    // One spelling per address, lower case, so a lookup is an equality whatever case the message used.
    await q.query(`
      CREATE TABLE identity.wallet (
        address text PRIMARY KEY CONSTRAINT wallet_address_lower_case CHECK (address ~ '^0x[0-9a-f]{40}$'),
        user_id uuid NOT NULL REFERENCES identity.user (id) ON DELETE CASCADE,
        linked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX wallet_by_user ON identity.wallet (user_id)`);
    await q.query(`
      CREATE TABLE identity.wallet_nonce (
        nonce text PRIMARY KEY,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX wallet_nonce_by_expiry ON identity.wallet_nonce (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity.wallet_nonce`);
    await q.query(`DROP TABLE identity.wallet`);
    await q.query(`DELETE FROM identity.user WHERE email IS NULL`);
    await q.query(`ALTER TABLE identity.user DROP CONSTRAINT user_email_with_password`);
    await q.query(`ALTER TABLE identity.user ALTER COLUMN email SET NOT NULL, ALTER COLUMN password_hash SET NOT NULL`);
  }
}
