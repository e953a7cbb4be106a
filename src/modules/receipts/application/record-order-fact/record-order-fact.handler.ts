import { Inject, Logger } from '@nestjs/common';
import { MintOrderReceiptV1 } from '../../../../../libs/contracts/receipts';
import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { MintTarget, readyToMint } from '../../domain/receipt';
import { tokenIdOf } from '../../domain/token-id';
import { ReceiptRepository } from '../../infrastructure/receipt.repository';
import { RECEIPTS_OPTIONS, type ReceiptsOptions } from '../../receipts.options';
import { RecordOrderFactCommand } from './record-order-fact.command';

/**
 * Records what events told of orders; the one that completes what a receipt needs (confirmed,
 * paid on-chain, completed: whichever comes last) asks for the receipt's mint in the same
 * transaction, once. An order paid otherwise has no on-chain payment and gets no receipt. A
 * batch of facts is recorded with one statement.
 */
@BatchCommandHandler(RecordOrderFactCommand)
export class RecordOrderFactHandler implements BatchCommandHandler<RecordOrderFactCommand> {
  private readonly logger = new Logger(RecordOrderFactHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly receipts: ReceiptRepository,
    @Inject(RECEIPTS_OPTIONS) private readonly options: ReceiptsOptions,
  ) {}

  execute(command: RecordOrderFactCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  async executeBatch(commands: readonly RecordOrderFactCommand[]): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const known = await this.receipts.recordMany(tx.manager, commands);
      // The last fact of an order in the batch is the one that completed what it knows.
      const lastOf = new Map(commands.map((command) => [command.orderId, command]));
      for (const [orderId, command] of lastOf) {
        const facts = known.get(orderId)!;
        if (!readyToMint(facts)) continue;
        const { minting } = this.options;
        if (!minting) {
          this.logger.log(`order ${orderId} is paid on-chain and completed; no receipt chain is configured (RECEIPTS_CHAIN_ID), so it gets no receipt`);
          continue;
        }
        const { chain } = minting;
        const target: MintTarget = { chainId: chain.id, contractAddress: chain.receiptContract, owner: facts.payment.payer };
        if (!(await this.receipts.requestMint(tx.manager, orderId, target))) continue;
        tx.publish(new MintOrderReceiptV1({ orderId, tokenId: tokenIdOf(orderId).toString(), ...target }), orderId, command);
      }
    });
  }
}
