import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';

export interface RefreshTokenRow {
  family_id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** `identity.refresh_token`, keyed by the SHA-256 of the token: the token itself is never stored. */
@Injectable()
export class RefreshTokenRepository {
  async insert(manager: EntityManager, token: { hash: Buffer; familyId: string; userId: string; expiresAt: Date }): Promise<void> {
    await manager.query(
      'INSERT INTO identity.refresh_token (token_hash, family_id, user_id, expires_at) VALUES ($1, $2, $3, $4)',
      [token.hash, token.familyId, token.userId, token.expiresAt],
    );
  }

  /** Locked, so two refreshes with one token cannot both rotate it. */
  async lock(manager: EntityManager, hash: Buffer): Promise<RefreshTokenRow | undefined> {
    const [row] = rowsOf<RefreshTokenRow>(
      await manager.query(
        'SELECT family_id, user_id, expires_at, used_at, revoked_at FROM identity.refresh_token WHERE token_hash = $1 FOR UPDATE',
        [hash],
      ),
    );
    return row;
  }

  async markUsed(manager: EntityManager, hash: Buffer): Promise<void> {
    await manager.query('UPDATE identity.refresh_token SET used_at = now() WHERE token_hash = $1', [hash]);
  }

  async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await manager.query('UPDATE identity.refresh_token SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId]);
  }
}
