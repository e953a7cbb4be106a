import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PaymentDeclinedV1, PaymentTransferReceivedV1 } from '../../../../../libs/contracts/payments';
import { Transaction, UnitOfWork } from '../../../../../libs/messaging';
import { Payment } from '../../domain/payment';
import { TransferRequest } from '../../domain/transfer-request';
import { ChainCursor, TransferRequestRepository } from '../../infrastructure/transfer-request.repository';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions, TransferPaymentChain, TransferPaymentOptions } from '../../payments.options';
import { authorized } from '../authorize-payment/provider-authorization';
import { CHAIN_LEDGERS } from '../ports/chain-ledger';
import type { ChainBlock, ChainLedger, TokenTransferLog } from '../ports/chain-ledger';

/** Expired requests closed per transaction. */
const EXPIRY_BATCH = 100;

type Outcome = { kind: 'paid' } | { kind: 'unpaid'; reason: string };

/**
 * Reads each chain's confirmed blocks for transfers of its stablecoins to the receiving addresses of
 * transfer requests, and settles their payments. Only blocks with their confirmations are read (the
 * head less `confirmations - 1`), so a transfer whose block a reorganisation drops before then is
 * never seen; a cursor per chain, with the hash of the last block read, says where to go on. One
 * transaction takes a range of blocks: the transfers found (each once, by transaction hash and log
 * index), what they did to their requests, the payments they authorized or declined with the
 * messages, and the cursor; a crash before its commit reads the same blocks again. Requests expire
 * by the chain's clock: once a block read is past a request's expiry, no transfer can still count.
 */
@Injectable()
export class TransferWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TransferWatcher.name);
  private readonly options: TransferPaymentOptions;
  private timer?: NodeJS.Timeout;
  private watching?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly requests: TransferRequestRepository,
    private readonly payments: PaymentRepository,
    @Inject(CHAIN_LEDGERS) private readonly ledgers: readonly ChainLedger[],
    @Inject(PAYMENTS_OPTIONS) options: PaymentsOptions,
  ) {
    // The module provides the watcher only with transfer payments configured.
    this.options = options.transfers!;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.watch(), this.options.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.watching;
  }

  /** Reads every chain's new confirmed blocks, one round at a time. */
  watch(): Promise<void> {
    this.watching ??= Promise.all(this.options.chains.map((chain) => this.watchChain(chain)))
      .then(() => undefined)
      .finally(() => (this.watching = undefined));
    return this.watching;
  }

  private async watchChain(chain: TransferPaymentChain): Promise<void> {
    const ledger = this.ledgers.find(({ chainId }) => chainId === chain.chainId);
    if (!ledger) throw new Error(`no ledger for chain ${chain.chainId}`);
    try {
      while (!this.stopped && (await this.readNextRange(chain, ledger))) {
        // Catching up: the next range at once.
      }
    } catch (error) {
      // The RPC endpoint failing or its circuit open: the same blocks are read at the next round.
      this.logger.warn(`reading chain ${chain.chainId} failed, tried again in ${this.options.pollMs} ms: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Reads the next range of confirmed blocks; false when there is none yet. */
  private async readNextRange(chain: TransferPaymentChain, ledger: ChainLedger): Promise<boolean> {
    const confirmedHead = (await ledger.head()) - BigInt(chain.confirmations - 1);
    const cursor = await this.unitOfWork.run((tx) => this.requests.cursor(tx.manager, chain.chainId), { finalStep: false });
    if (!cursor) {
      // A first start: requests are made from now on, so nothing before the confirmed head can pay one.
      const start = await ledger.block(confirmedHead < 0n ? 0n : confirmedHead);
      await this.unitOfWork.run((tx) => this.requests.saveCursor(tx.manager, chain.chainId, { blockNumber: start.number, blockHash: start.hash }));
      return false;
    }
    const cursorBlock = await ledger.block(cursor.blockNumber);
    if (cursorBlock.hash !== cursor.blockHash) {
      this.logger.error(
        `chain ${chain.chainId} reorganised deeper than its ${chain.confirmations} confirmations: block ${cursor.blockNumber} was ${cursor.blockHash}, ` +
          `is ${cursorBlock.hash}; transfers counted from dropped blocks stay counted, raise its confirmations`,
      );
    }
    if (confirmedHead <= cursor.blockNumber) return false;
    const last = cursor.blockNumber + BigInt(this.options.maxBlockRange) < confirmedHead ? cursor.blockNumber + BigInt(this.options.maxBlockRange) : confirmedHead;
    const tokenAddresses = Object.values(chain.tokens).map(({ address }) => address.toLowerCase());
    const logs = await ledger.transfers(tokenAddresses, cursor.blockNumber + 1n, last);
    const lastBlock = await ledger.block(last);
    const blocks = await this.blocksOf(ledger, logs, lastBlock);
    await this.unitOfWork.run((tx) => this.record(tx, chain.chainId, cursor, logs, blocks, lastBlock));
    return last < confirmedHead;
  }

  private async blocksOf(ledger: ChainLedger, logs: readonly TokenTransferLog[], lastBlock: ChainBlock): Promise<Map<bigint, ChainBlock>> {
    const numbers = [...new Set(logs.map(({ blockNumber }) => blockNumber))].filter((number) => number !== lastBlock.number);
    const blocks = await Promise.all(numbers.map((number) => ledger.block(number)));
    return new Map([lastBlock, ...blocks].map((block) => [block.number, block]));
  }

  private async record(
    tx: Transaction,
    chainId: number,
    cursor: ChainCursor,
    logs: readonly TokenTransferLog[],
    blocks: ReadonlyMap<bigint, ChainBlock>,
    lastBlock: ChainBlock,
  ): Promise<void> {
    const current = await this.requests.cursor(tx.manager, chainId, { lock: true });
    // Another process read these blocks first.
    if (current?.blockNumber !== cursor.blockNumber) return;
    const candidates = [
      ...(await this.requests.paymentsByAddresses(tx.manager, chainId, logs.map(({ to }) => to))),
      ...(await this.requests.paymentsOpenExpired(tx.manager, chainId, lastBlock.time, EXPIRY_BATCH)),
    ];
    // Payments first, then their requests: the order every writer of both locks them in.
    const payments = await this.payments.lockMany(tx.manager, [...new Set(candidates.map(({ orderId }) => orderId))]);
    const requests = await this.requests.lockMany(tx.manager, [...new Set(candidates.map(({ paymentId }) => paymentId))]);
    const byAddress = new Map(requests.map((request) => [request.toState().receivingAddress, request]));
    const outcomes = new Map<TransferRequest, Outcome>();
    for (const log of logs) {
      const request = byAddress.get(log.to);
      if (!request) continue;
      const { effect, paid } = request.count({ tokenAddress: log.tokenAddress, from: log.from, amount: log.amount, blockTime: blocks.get(log.blockNumber)!.time });
      await this.requests.recordTransfer(tx.manager, {
        chainId,
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
        paymentId: request.paymentId,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        blockTime: blocks.get(log.blockNumber)!.time,
        from: log.from,
        tokenAddress: log.tokenAddress,
        amount: log.amount,
        effect,
      });
      if (paid) outcomes.set(request, { kind: 'paid' });
      if (effect !== 'COUNTED') this.logger.warn(`transfer ${log.transactionHash}#${log.logIndex} to the request of payment ${request.paymentId} counts for nothing: ${effect}`);
    }
    for (const request of requests) {
      const reason = request.expire(lastBlock.time);
      if (reason) outcomes.set(request, { kind: 'unpaid', reason });
    }
    for (const request of requests) await this.requests.save(tx.manager, request);
    const settled: { payment: Payment; expectedStatus: 'AWAITING_TRANSFER' }[] = [];
    for (const [request, outcome] of outcomes) {
      const { orderId } = request.toState();
      const payment = payments.get(orderId);
      if (!payment) throw new Error(`transfer request of payment ${request.paymentId} has no payment`);
      const settlement = payment.settleTransfer(outcome.kind === 'paid' ? { kind: 'paid', reference: request.paymentId } : outcome);
      if (settlement.kind === 'already-settled') continue;
      settled.push({ payment, expectedStatus: 'AWAITING_TRANSFER' });
      if (settlement.kind === 'authorized') {
        const { chainId: chain, payer, tokenAddress, received } = request.toState();
        const transactionHashes = await this.requests.countedTransactions(tx.manager, request.paymentId);
        tx.publish(authorized(payment), orderId);
        tx.publish(new PaymentTransferReceivedV1({ orderId, paymentId: payment.id, chainId: chain, payer: payer!, tokenAddress, amount: received.toString(), transactionHashes }), orderId);
      } else if (settlement.kind === 'declined') {
        tx.publish(new PaymentDeclinedV1({ orderId, reason: settlement.reason }), orderId);
      }
    }
    await this.payments.saveMany(tx.manager, settled);
    await this.requests.saveCursor(tx.manager, chainId, { blockNumber: lastBlock.number, blockHash: lastBlock.hash });
  }
}
