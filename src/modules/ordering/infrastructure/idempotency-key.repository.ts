import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, rowsOf } from '../../../../libs/persistence';

/** How long a key means the same order (Stripe keeps keys 24 hours). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

export interface IdempotencyClaim {
  customerId: string;
  key: string;
  requestHash: Buffer;
  orderId: string;
}

/** The request and order a key was first used with. */
export interface KeyedPlacement {
  requestHash: Buffer;
  orderId: string;
}

/** `ordering.idempotency_key`. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the claims whose keys are new (or expired) and returns, by `customerId key`, the
   * earlier placement of each key already in use. A key being claimed by a transaction not yet
   * committed makes this wait for it, so two racing requests never both place an order.
   */
  async claimMany(manager: EntityManager, claims: readonly IdempotencyClaim[]): Promise<Map<string, KeyedPlacement>> {
    if (claims.length === 0) return new Map();
    // Sorted, so concurrent transactions claiming several of the same keys wait in one order.
    const sorted = [...claims].sort((a, b) => (claimKeyOf(a) < claimKeyOf(b) ? -1 : 1));
    const [customers, keys] = columnsOf(sorted, (c) => [c.customerId, c.key]);
    await manager.query(
      `DELETE FROM ordering.idempotency_key k USING unnest($1::text[], $2::text[]) AS c(customer_id, key)
       WHERE k.customer_id = c.customer_id AND k.key = c.key AND k.created_at < now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours'`,
      [customers, keys],
    );
    const inserted = rowsOf<{ customer_id: string; key: string }>(
      await manager.query(
        `INSERT INTO ordering.idempotency_key (customer_id, key, request_hash, order_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::uuid[])
         ON CONFLICT (customer_id, key) DO NOTHING
         RETURNING customer_id, key`,
        columnsOf(sorted, (c) => [c.customerId, c.key, c.requestHash, c.orderId]),
      ),
    );
    const claimed = new Set(inserted.map((row) => `${row.customer_id} ${row.key}`));
    const taken = sorted.filter((claim) => !claimed.has(claimKeyOf(claim)));
    if (taken.length === 0) return new Map();
    const earlier = rowsOf<{ customer_id: string; key: string; request_hash: Buffer; order_id: string }>(
      await manager.query(
        `SELECT k.customer_id, k.key, k.request_hash, k.order_id
         FROM ordering.idempotency_key k JOIN unnest($1::text[], $2::text[]) AS c(customer_id, key)
           ON k.customer_id = c.customer_id AND k.key = c.key`,
        columnsOf(taken, (c) => [c.customerId, c.key]),
      ),
    );
    return new Map(earlier.map((row) => [`${row.customer_id} ${row.key}`, placementOfRow(row)]));
  }

  /** The committed placement of a key still within its lifetime, if any. */
  async placementOf(customerId: string, key: string): Promise<KeyedPlacement | undefined> {
    const [row] = rowsOf<{ request_hash: Buffer; order_id: string }>(
      await this.dataSource.query(
        `SELECT request_hash, order_id FROM ordering.idempotency_key
         WHERE customer_id = $1 AND key = $2 AND created_at >= now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours'`,
        [customerId, key],
      ),
    );
    return row === undefined ? undefined : placementOfRow(row);
  }

  /** Forgets keys older than their lifetime; returns how many. */
  async prune(): Promise<number> {
    const rows = rowsOf(
      await this.dataSource.query(
        `DELETE FROM ordering.idempotency_key WHERE created_at < now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours' RETURNING 1`,
      ),
    );
    return rows.length;
  }
}

export function claimKeyOf(claim: Pick<IdempotencyClaim, 'customerId' | 'key'>): string {
  return `${claim.customerId} ${claim.key}`;
}

function placementOfRow(row: { request_hash: Buffer; order_id: string }): KeyedPlacement {
  return { requestHash: Buffer.from(row.request_hash), orderId: row.order_id };
}
