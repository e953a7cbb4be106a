import { Command } from '@nestjs/cqrs';
import { NewProductDetails } from '../../domain/product';
import { ProductView } from '../product.view';

/** Add a product to the catalog; `id` is given only for products with fixed ids (demo data). */
export class CreateProductCommand extends Command<ProductView> {
  constructor(
    readonly details: NewProductDetails,
    readonly id?: string,
  ) {
    super();
  }
}
