import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEMO_PRODUCTS } from '../../../../libs/demo';
import { UnitOfWork } from '../../../../libs/messaging';
import { INVENTORY_OPTIONS, type InventoryOptions } from '../inventory.options';
import { ProductRepository } from './product.repository';
import { StockRepository } from './stock.repository';

/**
 * Stocks the demo catalog in an empty database, so the shop can take orders right after `npm start`.
 * The demo products are recorded as the catalog's here rather than awaited from its events: the
 * catalog seeds the same fixed ids, and in a split deployment its events may come much later.
 */
@Injectable()
export class DemoStockSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoStockSeeder.name);

  constructor(
    @Inject(INVENTORY_OPTIONS) private readonly options: InventoryOptions,
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository,
    private readonly stock: StockRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.seedDemo) return;
    const seeded = await this.unitOfWork.run(async (tx) => {
      if (!(await this.stock.isEmpty(tx.manager))) return 0;
      await this.products.record(
        tx.manager,
        DEMO_PRODUCTS.map((product) => product.productId),
      );
      return this.stock.seed(tx.manager, DEMO_PRODUCTS);
    });
    if (seeded > 0) this.logger.log(`stocked ${seeded} demo products`);
  }
}
