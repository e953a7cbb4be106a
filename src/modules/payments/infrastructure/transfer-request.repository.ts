import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
import { TransferEffect, TransferRequest, TransferRequestStatus } from '../domain/transfer-request';

interface TransferRequestRow {
  payment_id: string;
  order_id: string;
  chain_id: number;
  token: string;
  token_address: string;
  receiving_address: string;
  amount: string;
  received: string;
  status: TransferRequestStatus;
  expires_at: Date;
  payer: string | null;
}

function toRequest(row: TransferRequestRow): TransferRequest {
  return TransferRequest.restore({
    paymentId: row.payment_id,
    orderId: row.order_id,
    chainId: row.chain_id,
    token: row.token,
    tokenAddress: row.token_address,
    receivingAddress: row.receiving_address,
    amount: BigInt(row.amount),
    received: BigInt(row.received),
    status: row.status,
    expiresAt: row.expires_at,
    payer: row.payer,
  });
}

/** A transfer the watcher found in a confirmed block, and what it did to its request. */
export interface ChainTransferRecord {
  chainId: number;
  transactionHash: string;
  logIndex: number;
  paymentId: string;
  blockNumber: bigint;
  blockHash: string;
  blockTime: Date;
  from: string;
  tokenAddress: string;
  amount: bigint;
  effect: TransferEffect;
}

/** The last block of a chain the watcher has read, with its hash as it was then. */
export interface ChainCursor {
  blockNumber: bigint;
  blockHash: string;
}

/** `payments.transfer_request`, `payments.chain_transfer` and `payments.chain_cursor`. */
@Injectable()
export class TransferRequestRepository {
  /** The next index of the receiving addresses derived from the shop's extended public key: each is used once. */
  async nextAddressIndex(manager: EntityManager): Promise<bigint> {
    const [{ index }] = rowsOf<{ index: string }>(await manager.query(`SELECT nextval('payments.transfer_address_index')::text AS index`));
    return BigInt(index);
  }

  async insert(manager: EntityManager, request: TransferRequest, addressIndex: bigint): Promise<void> {
    const s = request.toState();
    await manager.query(
      `INSERT INTO payments.transfer_request
         (payment_id, order_id, chain_id, token, token_address, address_index, receiving_address, amount, received, status, expires_at, payer)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [s.paymentId, s.orderId, s.chainId, s.token, s.tokenAddress, addressIndex.toString(), s.receivingAddress, s.amount.toString(), s.received.toString(), s.status, s.expiresAt, s.payer],
    );
  }

  async find(manager: EntityManager, paymentId: string): Promise<TransferRequest | undefined> {
    const rows = rowsOf<TransferRequestRow>(await manager.query(`SELECT * FROM payments.transfer_request WHERE payment_id = $1`, [paymentId]));
    return rows[0] && toRequest(rows[0]);
  }

  /** The payment ids of a chain's requests whose receiving address is one of `addresses` (lower case). */
  async paymentsByAddresses(manager: EntityManager, chainId: number, addresses: readonly string[]): Promise<{ paymentId: string; orderId: string }[]> {
    if (addresses.length === 0) return [];
    const rows = rowsOf<{ payment_id: string; order_id: string }>(
      await manager.query(`SELECT payment_id, order_id FROM payments.transfer_request WHERE chain_id = $1 AND receiving_address = ANY($2::text[])`, [
        chainId,
        [...new Set(addresses)],
      ]),
    );
    return rows.map((row) => ({ paymentId: row.payment_id, orderId: row.order_id }));
  }

  /** The payment ids of up to `limit` open requests of a chain that expired before `chainTime`. */
  async paymentsOpenExpired(manager: EntityManager, chainId: number, chainTime: Date, limit: number): Promise<{ paymentId: string; orderId: string }[]> {
    const rows = rowsOf<{ payment_id: string; order_id: string }>(
      await manager.query(
        `SELECT payment_id, order_id FROM payments.transfer_request WHERE chain_id = $1 AND status = 'OPEN' AND expires_at < $2 ORDER BY expires_at LIMIT $3`,
        [chainId, chainTime, limit],
      ),
    );
    return rows.map((row) => ({ paymentId: row.payment_id, orderId: row.order_id }));
  }

  /** The requests of these payments, locked; callers lock the payments first, as every writer of both does. */
  async lockMany(manager: EntityManager, paymentIds: readonly string[]): Promise<TransferRequest[]> {
    if (paymentIds.length === 0) return [];
    const rows = rowsOf<TransferRequestRow>(
      await manager.query(`SELECT * FROM payments.transfer_request WHERE payment_id = ANY($1::uuid[]) ORDER BY payment_id FOR UPDATE`, [[...paymentIds]]),
    );
    return rows.map(toRequest);
  }

  async save(manager: EntityManager, request: TransferRequest): Promise<void> {
    const { paymentId, received, status, payer } = request.toState();
    await manager.query(
      `UPDATE payments.transfer_request
          SET received = $2, status = $3, payer = $4, closed_at = CASE WHEN $3 = 'OPEN' THEN NULL ELSE coalesce(closed_at, now()) END
        WHERE payment_id = $1`,
      [paymentId, received.toString(), status, payer],
    );
  }

  /** Records a transfer once: false when it was recorded before (a block read again after a crash). */
  async recordTransfer(manager: EntityManager, t: ChainTransferRecord): Promise<boolean> {
    const rows = rowsOf<{ inserted: boolean }>(
      await manager.query(
        `INSERT INTO payments.chain_transfer
           (chain_id, transaction_hash, log_index, payment_id, block_number, block_hash, block_time, from_address, token_address, amount, effect)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT DO NOTHING RETURNING true AS inserted`,
        [t.chainId, t.transactionHash, t.logIndex, t.paymentId, t.blockNumber.toString(), t.blockHash, t.blockTime, t.from, t.tokenAddress, t.amount.toString(), t.effect],
      ),
    );
    return rows.length > 0;
  }

  /** The transactions whose transfers counted towards a request. */
  async countedTransactions(manager: EntityManager, paymentId: string): Promise<string[]> {
    const rows = rowsOf<{ transaction_hash: string }>(
      await manager.query(
        `SELECT DISTINCT transaction_hash FROM payments.chain_transfer WHERE payment_id = $1 AND effect = 'COUNTED' ORDER BY transaction_hash`,
        [paymentId],
      ),
    );
    return rows.map((row) => row.transaction_hash);
  }

  async cursor(manager: EntityManager, chainId: number, options: { lock?: boolean } = {}): Promise<ChainCursor | undefined> {
    const rows = rowsOf<{ block_number: string; block_hash: string }>(
      await manager.query(`SELECT block_number::text, block_hash FROM payments.chain_cursor WHERE chain_id = $1${options.lock ? ' FOR UPDATE' : ''}`, [chainId]),
    );
    return rows[0] && { blockNumber: BigInt(rows[0].block_number), blockHash: rows[0].block_hash };
  }

  async saveCursor(manager: EntityManager, chainId: number, cursor: ChainCursor): Promise<void> {
    await manager.query(
      `INSERT INTO payments.chain_cursor (chain_id, block_number, block_hash) VALUES ($1, $2, $3)
       ON CONFLICT (chain_id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, updated_at = now()`,
      [chainId, cursor.blockNumber.toString(), cursor.blockHash],
    );
  }
}
