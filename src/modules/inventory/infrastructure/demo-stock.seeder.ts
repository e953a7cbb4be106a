import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEMO_PRODUCTS } from '../../../../libs/demo';
import { INVENTORY_OPTIONS, type InventoryOptions } from '../inventory.options';
import { StockRepository } from './stock.repository';

/** Stocks the demo catalog in an empty database, so the shop can take orders right after `npm start`. */
@Injectable()
export class DemoStockSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoStockSeeder.name);

  constructor(
    @Inject(INVENTORY_OPTIONS) private readonly options: InventoryOptions,
    private readonly stock: StockRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.seedDemo) return;
    const seeded = await this.stock.seedIfEmpty(DEMO_PRODUCTS);
    if (seeded > 0) this.logger.log(`stocked ${seeded} demo products`);
  }
}
