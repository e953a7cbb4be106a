import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
import { MinedTransaction, MintState, SignedMint } from '../domain/mint';
import { Confirmation, MintedReceipt, MintTarget, OrderFact, ReceiptFacts, ReceiptLine } from '../domain/receipt';
import { tokenIdOf } from '../domain/token-id';

interface ReceiptRow {
  order_id: string;
  token_id: string;
  customer_id: string | null;
  total_amount: string | number | null;
  total_currency: string | null;
  lines: ReceiptLine[] | null;
  confirmed_at: Date | null;
  payment_id: string | null;
  paid_on_chain_id: string | number | null;
  payer: string | null;
  completed_at: Date | null;
  chain_id: string | number | null;
  contract_address: string | null;
  owner: string | null;
  mint_tx_hash: string | null;
  mint_tx_nonce: string | number | null;
  mint_tx_signed: string | null;
  minted_at: Date | null;
}

function confirmationOf(row: ReceiptRow): Confirmation | undefined {
  if (row.confirmed_at === null || row.total_amount === null || row.total_currency === null || row.customer_id === null) return undefined;
  return {
    customerId: row.customer_id,
    total: { amount: Number(row.total_amount), currency: row.total_currency },
    lines: row.lines ?? [],
    confirmedAt: new Date(row.confirmed_at),
  };
}

function targetOf(row: ReceiptRow): MintTarget | undefined {
  if (row.chain_id === null || row.contract_address === null || row.owner === null) return undefined;
  return { chainId: Number(row.chain_id), contractAddress: row.contract_address, owner: row.owner };
}

function toFacts(row: ReceiptRow): ReceiptFacts {
  const { payment_id: paymentId, paid_on_chain_id: chainId, payer } = row;
  return {
    orderId: row.order_id,
    confirmation: confirmationOf(row),
    payment: paymentId !== null && chainId !== null && payer !== null ? { paymentId, chainId: Number(chainId), payer } : undefined,
    completedAt: row.completed_at === null ? undefined : new Date(row.completed_at),
    mintTarget: targetOf(row),
  };
}

/** The fact's columns of `record`'s statement, null for those of the other facts. */
function columnsOfFact(fact: OrderFact): unknown[] {
  switch (fact.kind) {
    case 'confirmed': {
      const { customerId, total, lines, confirmedAt } = fact;
      return [customerId, total.amount, total.currency, JSON.stringify(lines), confirmedAt, null, null, null, null];
    }
    case 'paid-on-chain':
      return [null, null, null, null, null, fact.paymentId, fact.chainId, fact.payer.toLowerCase(), null];
    case 'completed':
      return [null, null, null, null, null, null, null, null, fact.completedAt];
  }
}

/**
 * `receipts.receipt`, one row per order: its facts as they arrive, then its mint. Writes take the
 * transaction's manager; the mint's reads take the data source, outside any transaction, as the
 * mint talks to the chain between its commits.
 */
@Injectable()
export class ReceiptRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records facts of orders, the first of each kind only (a redelivered or repeated event changes
   * nothing), in one statement, and answers everything known of each order, its row locked until
   * the transaction ends: facts of one order arriving side by side are recorded one after the
   * other, and the last sees them all. Rows are written in order id order, so concurrent batches
   * queue instead of deadlocking.
   */
  async recordMany(manager: EntityManager, facts: readonly { orderId: string; fact: OrderFact }[]): Promise<Map<string, ReceiptFacts>> {
    // One row per order, each column from the first of its facts that has it: one statement
    // cannot change the same row twice.
    const columnsByOrder = new Map<string, unknown[]>();
    for (const { orderId, fact } of facts) {
      const columns = columnsOfFact(fact);
      const merged = columnsByOrder.get(orderId);
      columnsByOrder.set(orderId, merged ? merged.map((value, i) => value ?? columns[i]) : columns);
    }
    const orderIds = [...columnsByOrder.keys()].sort();
    const column = (i: number) => orderIds.map((orderId) => columnsByOrder.get(orderId)![i]);
    const rows = await manager.query<ReceiptRow[]>(
      `INSERT INTO receipts.receipt AS r (order_id, token_id, customer_id, total_amount, total_currency, lines, confirmed_at,
         payment_id, paid_on_chain_id, payer, completed_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::jsonb[], $7::timestamptz[],
         $8::uuid[], $9::bigint[], $10::text[], $11::timestamptz[])
       ON CONFLICT (order_id) DO UPDATE SET
         customer_id = COALESCE(r.customer_id, EXCLUDED.customer_id),
         total_amount = COALESCE(r.total_amount, EXCLUDED.total_amount),
         total_currency = COALESCE(r.total_currency, EXCLUDED.total_currency),
         lines = COALESCE(r.lines, EXCLUDED.lines),
         confirmed_at = COALESCE(r.confirmed_at, EXCLUDED.confirmed_at),
         payment_id = COALESCE(r.payment_id, EXCLUDED.payment_id),
         paid_on_chain_id = COALESCE(r.paid_on_chain_id, EXCLUDED.paid_on_chain_id),
         payer = COALESCE(r.payer, EXCLUDED.payer),
         completed_at = COALESCE(r.completed_at, EXCLUDED.completed_at),
         updated_at = now()
       RETURNING *`,
      [orderIds, orderIds.map((orderId) => tokenIdOf(orderId).toString()), ...Array.from({ length: 9 }, (_, i) => column(i))],
    );
    return new Map(rowsOf<ReceiptRow>(rows).map((row) => [row.order_id, toFacts(row)]));
  }

  /** Decides where the order's receipt is minted; false if that was decided before. */
  async requestMint(manager: EntityManager, orderId: string, target: MintTarget): Promise<boolean> {
    const rows: unknown = await manager.query(
      `UPDATE receipts.receipt SET chain_id = $2, contract_address = $3, owner = $4, mint_requested_at = now(), updated_at = now()
       WHERE order_id = $1 AND mint_requested_at IS NULL
       RETURNING order_id`,
      [orderId, target.chainId, target.contractAddress, target.owner.toLowerCase()],
    );
    return rowsOf(rows).length === 1;
  }

  /** Where the order's mint stands, as committed; undefined while no mint was asked for. */
  async mintStateOf(orderId: string): Promise<MintState | undefined> {
    const [row] = await this.dataSource.query<ReceiptRow[]>('SELECT * FROM receipts.receipt WHERE order_id = $1', [orderId]);
    const target = row && targetOf(row);
    if (!target) return undefined;
    const transaction: SignedMint | undefined =
      row.mint_tx_hash === null || row.mint_tx_signed === null || row.mint_tx_nonce === null
        ? undefined
        : { hash: row.mint_tx_hash, nonce: Number(row.mint_tx_nonce), serialized: row.mint_tx_signed };
    return { orderId, tokenId: BigInt(row.token_id), target, transaction, minted: row.minted_at !== null };
  }

  /**
   * Records the signed mint transaction before it is broadcast, in place of `replaced` (null: none
   * was recorded). False when the recorded one is not `replaced` any more: another delivery of the
   * mint recorded its own meanwhile, and only that one may be broadcast.
   */
  async recordMintTransaction(
    manager: EntityManager,
    orderId: string,
    replaced: string | null,
    transaction: SignedMint,
  ): Promise<boolean> {
    const rows: unknown = await manager.query(
      `UPDATE receipts.receipt SET mint_tx_hash = $3, mint_tx_nonce = $4, mint_tx_signed = $5, mint_tx_recorded_at = now(), updated_at = now()
       WHERE order_id = $1 AND mint_tx_hash IS NOT DISTINCT FROM $2 AND minted_at IS NULL
       RETURNING order_id`,
      [orderId, replaced, transaction.hash, transaction.nonce, transaction.serialized],
    );
    return rowsOf(rows).length === 1;
  }

  /** Records the receipt minted, by the transaction that minted it when the chain tells which. */
  async recordMinted(manager: EntityManager, orderId: string, minted: MinedTransaction | null): Promise<void> {
    await manager.query(
      `UPDATE receipts.receipt SET minted_at = now(), minted_tx_hash = $2, minted_block = $3, minted_gas_used = $4, updated_at = now()
       WHERE order_id = $1 AND minted_at IS NULL`,
      [orderId, minted?.hash ?? null, minted?.blockNumber.toString() ?? null, minted?.gasUsed.toString() ?? null],
    );
  }

  /** The order's receipt, once minted. */
  async mintedReceipt(orderId: string): Promise<MintedReceipt | undefined> {
    const [row] = await this.dataSource.query<ReceiptRow[]>(
      'SELECT * FROM receipts.receipt WHERE order_id = $1 AND minted_at IS NOT NULL',
      [orderId],
    );
    const confirmation = row && confirmationOf(row);
    return confirmation && { orderId: row.order_id, tokenId: BigInt(row.token_id), confirmation };
  }
}
