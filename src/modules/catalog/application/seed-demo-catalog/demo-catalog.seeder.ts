import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEMO_PRODUCTS } from '../../../../../libs/demo';
import { CATALOG_OPTIONS } from '../../catalog.options';
import type { CatalogOptions } from '../../catalog.options';
import { DuplicateSkuError } from '../../domain/product.errors';
import { ProductStore } from '../ports/product-store';
import { CreateProductCommand } from '../create-product/create-product.command';
import { CreateProductHandler } from '../create-product/create-product.handler';

/**
 * Fills an empty catalog with the demo products, through the create use case so each one is
 * announced with ProductCreatedV1 like any other. The handler is called directly: the command
 * bus registers its handlers during the same bootstrap phase.
 */
@Injectable()
export class DemoCatalogSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoCatalogSeeder.name);

  constructor(
    @Inject(CATALOG_OPTIONS) private readonly options: CatalogOptions,
    private readonly products: ProductStore,
    private readonly createProduct: CreateProductHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.seedDemo || !(await this.products.isEmpty())) return;
    let created = 0;
    for (const { productId, sku, name, description, category, price, popularity } of DEMO_PRODUCTS) {
      try {
        await this.createProduct.execute(
          new CreateProductCommand({ sku, name, description, category, price, popularity }, productId),
        );
        created++;
      } catch (error) {
        // Another instance sharing the database seeds at the same moment.
        if (!(error instanceof DuplicateSkuError)) throw error;
      }
    }
    this.logger.log(`seeded ${created} demo products`);
  }
}
