import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MintOrderReceiptV1 } from '../../../../../libs/contracts/receipts';
import { UnitOfWork } from '../../../../../libs/messaging';
import { MintTarget, readyToMint } from '../../domain/receipt';
import { tokenIdOf } from '../../domain/token-id';
import { ReceiptRepository } from '../../infrastructure/receipt.repository';
import { RECEIPTS_OPTIONS, type ReceiptsOptions } from '../../receipts.options';
import { RecordOrderFactCommand } from './record-order-fact.command';

/**
 * Records what an event told of an order; the one that completes what a receipt needs (confirmed,
 * paid on-chain, completed: whichever comes last) asks for the receipt's mint in the same
 * transaction, once. An order paid otherwise has no on-chain payment and gets no receipt.
 */
@CommandHandler(RecordOrderFactCommand)
export class RecordOrderFactHandler implements ICommandHandler<RecordOrderFactCommand> {
  private readonly logger = new Logger(RecordOrderFactHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly receipts: ReceiptRepository,
    @Inject(RECEIPTS_OPTIONS) private readonly options: ReceiptsOptions,
  ) {}

  async execute(command: RecordOrderFactCommand): Promise<void> {
    const { orderId, fact } = command;
    await this.unitOfWork.run(async (tx) => {
      const facts = await this.receipts.record(tx.manager, orderId, fact);
      if (!readyToMint(facts)) return;
      const { minting } = this.options;
      if (!minting) {
        this.logger.log(`order ${orderId} is paid on-chain and completed; no receipt chain is configured (RECEIPTS_CHAIN_ID), so it gets no receipt`);
        return;
      }
      const { chain } = minting;
      const target: MintTarget = { chainId: chain.id, contractAddress: chain.receiptContract, owner: facts.payment.payer };
      if (!(await this.receipts.requestMint(tx.manager, orderId, target))) return;
      tx.publish(new MintOrderReceiptV1({ orderId, tokenId: tokenIdOf(orderId).toString(), ...target }), orderId, command);
    });
  }
}
