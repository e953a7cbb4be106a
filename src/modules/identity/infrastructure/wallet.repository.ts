import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
import type { Wallet } from '../domain/wallet';

interface WalletRow {
  address: string;
  user_id: string;
  linked_at: Date;
}

export interface LinkedWallet extends Wallet {
  userId: string;
}

function toWallet(row: WalletRow): LinkedWallet {
  return { address: row.address, userId: row.user_id, linkedAt: new Date(row.linked_at) };
}

/** `identity.wallet`: addresses in lower case (see normalizeAddress). */
@Injectable()
export class WalletRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Held until the transaction ends, so two first sign-ins of one wallet cannot both make it an
   * account: the second finds the first's.
   */
  async lockAddress(manager: EntityManager, address: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('identity.wallet:' || $1, 0))`, [address]);
  }

  async find(manager: EntityManager, address: string): Promise<LinkedWallet | undefined> {
    const [row] = rowsOf<WalletRow>(await manager.query('SELECT address, user_id, linked_at FROM identity.wallet WHERE address = $1', [address]));
    return row && toWallet(row);
  }

  async add(manager: EntityManager, address: string, userId: string): Promise<LinkedWallet> {
    const [row] = rowsOf<WalletRow>(
      await manager.query('INSERT INTO identity.wallet (address, user_id) VALUES ($1, $2) RETURNING address, user_id, linked_at', [address, userId]),
    );
    return toWallet(row);
  }

  /** False when the user has no wallet with this address. */
  async remove(manager: EntityManager, userId: string, address: string): Promise<boolean> {
    const rows = rowsOf(await manager.query('DELETE FROM identity.wallet WHERE address = $1 AND user_id = $2 RETURNING address', [address, userId]));
    return rows.length === 1;
  }

  /** Inside a transaction, pass its manager: on the embedded database a second session would wait for it. */
  async listOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<LinkedWallet[]> {
    const rows = rowsOf<WalletRow>(
      await manager.query('SELECT address, user_id, linked_at FROM identity.wallet WHERE user_id = $1 ORDER BY linked_at, address', [userId]),
    );
    return rows.map(toWallet);
  }
}
