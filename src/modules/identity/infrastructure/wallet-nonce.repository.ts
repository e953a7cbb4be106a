import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';

/** Expired nonces cleared per nonce issued: enough to keep the table at about the live ones. */
const EXPIRED_CLEARED_PER_ISSUE = 100;

/** `identity.wallet_nonce`: each nonce a sign-in message may carry, used once before it expires. */
@Injectable()
export class WalletNonceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(nonce: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query('INSERT INTO identity.wallet_nonce (nonce, expires_at) VALUES ($1, $2)', [nonce, expiresAt]);
    // A used or expired nonce is refused whether or not its row is left, so the rows can go.
    await this.dataSource.query(
      `DELETE FROM identity.wallet_nonce WHERE nonce IN (
         SELECT nonce FROM identity.wallet_nonce WHERE expires_at < now() ORDER BY expires_at LIMIT ${EXPIRED_CLEARED_PER_ISSUE})`,
    );
  }

  /** Uses the nonce up; false when it is unknown, used already or expired. Undone if the transaction is. */
  async consume(manager: EntityManager, nonce: string): Promise<boolean> {
    const rows = rowsOf(
      await manager.query(
        'UPDATE identity.wallet_nonce SET used_at = now() WHERE nonce = $1 AND used_at IS NULL AND expires_at > now() RETURNING nonce',
        [nonce],
      ),
    );
    return rows.length === 1;
  }
}
