import { Command } from '@nestjs/cqrs';
import { ProductDetails } from '../../domain/product';
import { ProductView } from '../product.view';

/** Change some of a product's details; the others keep their values. */
export class UpdateProductCommand extends Command<ProductView> {
  constructor(
    readonly id: string,
    readonly changes: Partial<ProductDetails>,
  ) {
    super();
  }
}
