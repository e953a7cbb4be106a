import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES_BEFORE = `'PENDING', 'PARKED', 'AUTHORIZED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'DECLINED'`;

/**
 * Crypto payments made by an on-chain ERC-20 transfer: a payment AWAITING_TRANSFER has one transfer
 * request, with an address of the shop's made for it alone (derived from an extended public key at
 * `address_index`); the transfers to that address that the watcher found, each once by transaction
 * hash and log index; and, per chain, the last block the watcher read, with its hash.
 */
export class CryptoTransferRequests1767000003700 implements MigrationInterface {
  name = 'CryptoTransferRequests1767000003700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments.payment DROP CONSTRAINT payment_status_known`);
    await q.query(`ALTER TABLE payments.payment ADD CONSTRAINT payment_status_known CHECK (status IN (${STATUSES_BEFORE}, 'AWAITING_TRANSFER'))`);
    await q.query(`CREATE SEQUENCE payments.transfer_address_index`);
    // Addresses are kept in lower case, so a log's address is found by equality.
    await q.query(`
      CREATE TABLE payments.transfer_request (
        payment_id uuid PRIMARY KEY REFERENCES payments.payment (id),
        order_id uuid NOT NULL,
        chain_id integer NOT NULL,
        token text NOT NULL,
        token_address text NOT NULL CHECK (token_address ~ '^0x[0-9a-f]{40}$'),
        address_index bigint NOT NULL UNIQUE,
        receiving_address text NOT NULL CHECK (receiving_address ~ '^0x[0-9a-f]{40}$'),
        amount numeric(78, 0) NOT NULL CHECK (amount > 0),
        received numeric(78, 0) NOT NULL DEFAULT 0,
        status text NOT NULL CHECK (status IN ('OPEN', 'PAID', 'EXPIRED', 'CANCELLED')),
        expires_at timestamptz NOT NULL,
        payer text,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        UNIQUE (chain_id, receiving_address)
      )`);
    await q.query(`CREATE INDEX transfer_request_open ON payments.transfer_request (chain_id, expires_at) WHERE status = 'OPEN'`);
    await q.query(`
      CREATE TABLE payments.chain_transfer (
        chain_id integer NOT NULL,
        transaction_hash text NOT NULL,
        log_index integer NOT NULL,
        payment_id uuid NOT NULL REFERENCES payments.transfer_request (payment_id),
        block_number bigint NOT NULL,
        block_hash text NOT NULL,
        block_time timestamptz NOT NULL,
        from_address text NOT NULL,
        token_address text NOT NULL,
        amount numeric(78, 0) NOT NULL,
        effect text NOT NULL CHECK (effect IN ('COUNTED', 'LATE', 'AFTER_CLOSE', 'WRONG_TOKEN')),
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chain_id, transaction_hash, log_index)
      )`);
    await q.query(`CREATE INDEX chain_transfer_by_payment ON payments.chain_transfer (payment_id)`);
    await q.query(`
      CREATE TABLE payments.chain_cursor (
        chain_id integer PRIMARY KEY,
        block_number bigint NOT NULL,
        block_hash text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payments.chain_cursor`);
    await q.query(`DROP TABLE payments.chain_transfer`);
    await q.query(`DROP TABLE payments.transfer_request`);
    await q.query(`DROP SEQUENCE payments.transfer_address_index`);
    // Nothing was authorized for a payment still awaiting its transfer: the order's deadline settles it.
    await q.query(`UPDATE payments.payment SET status = 'PENDING' WHERE status = 'AWAITING_TRANSFER'`);
    await q.query(`ALTER TABLE payments.payment DROP CONSTRAINT payment_status_known`);
    await q.query(`ALTER TABLE payments.payment ADD CONSTRAINT payment_status_known CHECK (status IN (${STATUSES_BEFORE}))`);
  }
}
