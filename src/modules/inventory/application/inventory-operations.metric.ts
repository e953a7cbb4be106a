import { Counter } from 'prom-client';
import { Transaction } from '../../../../libs/messaging';

export const INVENTORY_OPERATIONS = 'inventory_operations_total';

/** ok: stock changed; rejected: refused (not enough stock, nothing held to commit); repeated: a request answered before. */
export type InventoryOperationResult = 'ok' | 'rejected' | 'repeated';

export type InventoryOperations = Counter<'operation' | 'result'>;

/** Counts the operations of a transaction once it commits, so a rolled-back batch counts nothing. */
export function countOnCommit(
  tx: Transaction,
  operations: InventoryOperations,
  operation: 'reserve' | 'commit' | 'release',
  results: readonly InventoryOperationResult[],
): void {
  tx.afterCommit(() => {
    for (const result of results) operations.inc({ operation, result });
  });
}
