import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Mutex } from 'async-mutex';
import { failpoints } from '../../../../../libs/failpoints';
import { UnitOfWork } from '../../../../../libs/messaging';
import { MinedTransaction, MintState, SignedMint } from '../../domain/mint';
import { MintNotMinedYetError, ReceiptChainNotConfiguredError, ReceiptNotRequestedError } from '../../domain/receipt.errors';
import { ReceiptRepository } from '../../infrastructure/receipt.repository';
import { RECEIPTS_OPTIONS, type ReceiptsOptions } from '../../receipts.options';
import { RECEIPT_CHAIN, type ReceiptChain } from '../ports/receipt-chain';
import { MintReceiptCommand } from './mint-receipt.command';

/** Rounds of one delivery: each follows a transaction that reverted or that another delivery recorded meanwhile. */
const MAX_ROUNDS = 3;

/** What a recorded mint transaction came to: mined (by it or, when it failed, by another), or in need of a new one. */
type Settled = { minted: MinedTransaction | null } | 'sign-anew';

/**
 * Mints an order's receipt once, whatever the deliveries, concurrent or after a crash at any point
 * (docs/decisions/0051). The token id is the order's, so the contract itself refuses a second
 * mint; this handler makes sure no second transaction is even sent:
 * - minted, as recorded: done;
 * - a mint transaction recorded: its receipt decides. Mined and successful: minted. Unknown to the
 *   node: the stored signed bytes are broadcast again (the same transaction, the same hash).
 *   Reverted, or its nonce taken by another transaction: the token's owner decides;
 * - none recorded: the token's owner first (minted after all: recorded as such), then a transaction
 *   signed here with an explicit nonce, recorded in a committed transaction BEFORE it is broadcast,
 *   broadcast, and its receipt awaited (bounded) and recorded.
 * Signing, recording and broadcasting take turns per minter key, so two mints never take one nonce.
 */
@CommandHandler(MintReceiptCommand)
export class MintReceiptHandler implements ICommandHandler<MintReceiptCommand> {
  private readonly logger = new Logger(MintReceiptHandler.name);
  private readonly minterTurns = new Map<string, Mutex>();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly receipts: ReceiptRepository,
    @Inject(RECEIPT_CHAIN) private readonly chain: ReceiptChain | undefined,
    @Inject(RECEIPTS_OPTIONS) private readonly options: ReceiptsOptions,
  ) {}

  async execute({ orderId }: MintReceiptCommand): Promise<void> {
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      // What the command says is what was stored with it; the stored state alone is read, and it rules.
      const state = await this.receipts.mintStateOf(orderId);
      if (!state) throw new ReceiptNotRequestedError(orderId);
      if (state.minted) return;
      const chain = this.chainFor(state);
      if (state.transaction) {
        const settled = await this.settle(chain, state, state.transaction);
        if (settled !== 'sign-anew') return this.recordMinted(state, settled.minted);
      } else {
        const owner = await chain.ownerOf(state.target, state.tokenId);
        if (owner !== null) return this.recordMinted(state, await chain.mintOf(state.target, state.tokenId));
      }
      const sent = await this.signRecordAndBroadcast(chain, state);
      // Another delivery recorded its transaction first, or the nonce was taken: the next round finds out what became of it.
      if (!sent) continue;
      const mined = await this.awaitMined(chain, state, sent);
      if (mined.status === 'success') return this.recordMinted(state, mined);
      this.logger.warn(`the mint of order ${orderId}'s receipt reverted (${sent.hash}); the token's owner decides what follows`);
    }
    throw new Error(`the receipt of order ${orderId} is not minted after ${MAX_ROUNDS} rounds; its message is retried`);
  }

  private chainFor({ orderId, target }: MintState): ReceiptChain {
    if (!this.chain || this.chain.chainId !== target.chainId) throw new ReceiptChainNotConfiguredError(orderId, target.chainId);
    return this.chain;
  }

  /** What the recorded transaction came to, sent again when the node does not know it. */
  private async settle(chain: ReceiptChain, state: MintState, transaction: SignedMint): Promise<Settled> {
    let mined = await chain.receiptOf(transaction.hash);
    if (!mined) {
      const outcome = (await chain.knows(transaction.hash)) ? 'sent' : await chain.broadcast(transaction);
      if (outcome === 'sent') mined = await this.awaitMined(chain, state, transaction);
    }
    if (mined?.status === 'success') return { minted: mined };
    // Reverted, or never to be mined as its nonce went to another transaction: minted all the same?
    if ((await chain.ownerOf(state.target, state.tokenId)) === null) return 'sign-anew';
    return { minted: await chain.mintOf(state.target, state.tokenId) };
  }

  /** Null when another delivery recorded a transaction first, or when the nonce was taken before the broadcast. */
  private signRecordAndBroadcast(chain: ReceiptChain, state: MintState): Promise<SignedMint | null> {
    const key = `${chain.chainId}:${chain.minter}`;
    let turn = this.minterTurns.get(key);
    if (!turn) this.minterTurns.set(key, (turn = new Mutex()));
    const replaced = state.transaction?.hash ?? null;
    return turn.runExclusive(async () => {
      // A delivery that waited for its turn behind another of the same order signs nothing.
      const current = await this.receipts.mintStateOf(state.orderId);
      if (current?.minted !== false || (current.transaction?.hash ?? null) !== replaced) return null;
      const signed = await chain.signMint(state.target, state.tokenId, await chain.nextNonce());
      const recorded = await this.unitOfWork.run((tx) => this.receipts.recordMintTransaction(tx.manager, state.orderId, replaced, signed), {
        finalStep: false,
      });
      if (!recorded) return null;
      if (failpoints.armed) await failpoints.reach('after-mint-recorded');
      if ((await chain.broadcast(signed)) === 'nonce-used') return null;
      if (failpoints.armed) await failpoints.reach('after-mint-broadcast');
      return signed;
    });
  }

  private async awaitMined(chain: ReceiptChain, state: MintState, transaction: SignedMint): Promise<MinedTransaction> {
    const mined = await chain.waitForReceipt(transaction.hash, this.options.mintTimeoutMs);
    if (!mined) throw new MintNotMinedYetError(state.orderId, transaction.hash, this.options.mintTimeoutMs);
    return mined;
  }

  private async recordMinted({ orderId, tokenId, target }: MintState, minted: MinedTransaction | null): Promise<void> {
    await this.unitOfWork.run((tx) => this.receipts.recordMinted(tx.manager, orderId, minted));
    const how = minted ? `by ${minted.hash} in block ${minted.blockNumber}, ${minted.gasUsed} gas` : 'before (the chain does not say by which transaction)';
    this.logger.log(`receipt of order ${orderId} minted to ${target.owner}: token ${tokenId} on chain ${target.chainId}, ${how}`);
  }
}
