import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `receipts` schema, owned by the receipts context: one row per order it heard of, filled in
 * as the order's confirmation, on-chain payment and completion arrive (in any order), then the
 * receipt's mint: where to, the signed transaction (recorded before it is broadcast), and the
 * block that mined it. The token id is the order id's 128 bits in decimal.
 */
export class Receipts1767000003600 implements MigrationInterface {
  name = 'Receipts1767000003600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS receipts`);
    await q.query(`
      CREATE TABLE receipts.receipt (
        order_id uuid PRIMARY KEY,
        token_id text NOT NULL CONSTRAINT receipt_token_id_decimal CHECK (token_id ~ '^(0|[1-9][0-9]{0,38})$'),
        customer_id text,
        total_amount bigint,
        total_currency text,
        lines jsonb,
        confirmed_at timestamptz,
        payment_id uuid,
        paid_on_chain_id bigint,
        payer text,
        completed_at timestamptz,
        chain_id bigint,
        contract_address text,
        owner text,
        mint_requested_at timestamptz,
        mint_tx_hash text CONSTRAINT receipt_mint_tx_hash_hex CHECK (mint_tx_hash ~ '^0x[0-9a-f]{64}$'),
        mint_tx_nonce bigint,
        mint_tx_signed text,
        mint_tx_recorded_at timestamptz,
        minted_at timestamptz,
        minted_tx_hash text,
        minted_block bigint,
        minted_gas_used bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT receipt_confirmation_whole CHECK ((confirmed_at IS NULL) = (total_amount IS NULL)),
        CONSTRAINT receipt_payment_whole CHECK ((payer IS NULL) = (paid_on_chain_id IS NULL)),
        CONSTRAINT receipt_mint_requested_whole CHECK ((mint_requested_at IS NULL) = (chain_id IS NULL) AND (chain_id IS NULL) = (owner IS NULL)),
        CONSTRAINT receipt_mint_tx_whole CHECK ((mint_tx_hash IS NULL) = (mint_tx_signed IS NULL)),
        CONSTRAINT receipt_minted_after_request CHECK (minted_at IS NULL OR mint_requested_at IS NOT NULL)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA receipts CASCADE`);
  }
}
