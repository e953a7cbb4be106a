import { Command } from '@nestjs/cqrs';
import { ProductName } from '../../infrastructure/product-name.repository';

/** Keep notifications' replica of product names current (newer versions only). */
export class RecordProductNameCommand extends Command<void> {
  constructor(readonly product: ProductName) {
    super();
  }
}
