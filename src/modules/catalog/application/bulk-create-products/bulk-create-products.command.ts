import { Command } from '@nestjs/cqrs';
import { NewProductDetails } from '../../domain/product';
import { ProductView } from '../product.view';

/** Products one bulk import may create. */
export const BULK_CREATE_LIMIT = 1000;

/** Add up to BULK_CREATE_LIMIT products, all or none. */
export class BulkCreateProductsCommand extends Command<ProductView[]> {
  constructor(readonly products: NewProductDetails[]) {
    super();
  }
}
