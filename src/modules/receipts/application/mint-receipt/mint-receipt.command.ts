import { Command } from '@nestjs/cqrs';
import type { MintTarget } from '../../domain/receipt';

/** Mint an order's receipt where it was decided to, once whatever the deliveries. */
export class MintReceiptCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly tokenId: bigint,
    readonly target: MintTarget,
  ) {
    super();
  }
}
