import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductCreatedV1 } from '../../../../../libs/contracts/catalog';
import { newId } from '../../../../../libs/persistence';
import { newProductRuleViolations, NewProductDetails, Product } from '../../domain/product';
import { InvalidProductError, ProductRuleViolation } from '../../domain/product.errors';
import { ProductStore } from '../ports/product-store';
import { snapshotOf } from '../product-snapshot';
import { ProductView } from '../product.view';
import { BULK_CREATE_LIMIT, BulkCreateProductsCommand } from './bulk-create-products.command';

/** Every broken rule of the batch, each named by its place in it (`products[3].price.amount`). */
export function batchViolations(batch: NewProductDetails[]): ProductRuleViolation[] {
  if (batch.length === 0 || batch.length > BULK_CREATE_LIMIT) {
    return [{ field: 'products', message: `must hold 1 to ${BULK_CREATE_LIMIT} products (got ${batch.length})` }];
  }
  const firstWithSku = new Map<string, number>();
  return batch.flatMap((details, i) => {
    const own = newProductRuleViolations(details).map((v) => ({ field: `products[${i}].${v.field}`, message: v.message }));
    const first = firstWithSku.get(details.sku);
    if (first === undefined) firstWithSku.set(details.sku, i);
    else own.push({ field: `products[${i}].sku`, message: `repeats the sku of products[${first}]` });
    return own;
  });
}

/**
 * Inserts the whole batch in one unit of work and announces each product with ProductCreatedV1,
 * all or nothing.
 */
@CommandHandler(BulkCreateProductsCommand)
export class BulkCreateProductsHandler implements ICommandHandler<BulkCreateProductsCommand> {
  constructor(private readonly products: ProductStore) {}

  async execute({ products: batch }: BulkCreateProductsCommand): Promise<ProductView[]> {
    const violations = batchViolations(batch);
    if (violations.length > 0) throw new InvalidProductError(violations);
    const products = batch.map((details) => Product.create(newId(), details));
    return this.products.transaction(async (writer) => {
      const created = await writer.createMany(products);
      for (const product of created) writer.publish(new ProductCreatedV1(snapshotOf(product)), product.id);
      return created;
    });
  }
}
