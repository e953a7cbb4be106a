import { Command } from '@nestjs/cqrs';
import { ProductDetails } from '../../domain/product';
import { ProductView } from '../product.view';

/**
 * Change some of a product's details; the others keep their values. With `expectedVersion`,
 * only if nobody changed the product since the caller read that version.
 */
export class UpdateProductCommand extends Command<ProductView> {
  constructor(
    readonly id: string,
    readonly changes: Partial<ProductDetails>,
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
