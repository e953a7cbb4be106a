import { Command } from '@nestjs/cqrs';
import { ProductView } from '../product.view';

/** Withdraw a product from sale and from search; with `expectedVersion`, only if still at it. */
export class ArchiveProductCommand extends Command<ProductView> {
  constructor(
    readonly id: string,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
