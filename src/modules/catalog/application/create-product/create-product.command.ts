import { Command } from '@nestjs/cqrs';
import { ProductDetails } from '../../domain/product';
import { ProductView } from '../product.view';

/** Add a product to the catalog; `id` is given only for products with fixed ids (demo data). */
export class CreateProductCommand extends Command<ProductView> {
  constructor(
    readonly details: Omit<ProductDetails, 'popularity'> & { popularity?: number },
    readonly id?: string,
  ) {
    super();
  }
}
