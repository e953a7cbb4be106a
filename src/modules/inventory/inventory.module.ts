import { DynamicModule, Module } from '@nestjs/common';
import { InventoryController } from './api/inventory.controller';
import { CommitReservationHandler } from './application/commit-reservation/commit-reservation.handler';
import { GetStockHandler } from './application/get-stock/get-stock.handler';
import { inventoryInbound } from './application/inbound-routes';
import { RecordProductHandler } from './application/record-product/record-product.handler';
import { ReleaseReservationHandler } from './application/release-reservation/release-reservation.handler';
import { ReserveStockHandler } from './application/reserve-stock/reserve-stock.handler';
import { SetStockHandler } from './application/set-stock/set-stock.handler';
import { DemoStockSeeder } from './infrastructure/demo-stock.seeder';
import { ProductRepository } from './infrastructure/product.repository';
import { ReservationRepository } from './infrastructure/reservation.repository';
import { StockRepository } from './infrastructure/stock.repository';
import { INVENTORY_OPTIONS, InventoryOptions } from './inventory.options';

const commandHandlers = [
  RecordProductHandler,
  SetStockHandler,
  ReserveStockHandler,
  CommitReservationHandler,
  ReleaseReservationHandler,
];
const queryHandlers = [GetStockHandler];
const infrastructure = [ProductRepository, StockRepository, ReservationRepository, DemoStockSeeder];

/** Stock levels and all-or-nothing reservations that never oversell. */
@Module({})
export class InventoryModule {
  static forRoot(options: InventoryOptions): DynamicModule {
    return {
      module: InventoryModule,
      controllers: [InventoryController],
      providers: [
        { provide: INVENTORY_OPTIONS, useValue: options },
        ...commandHandlers,
        ...queryHandlers,
        inventoryInbound.provider,
        ...infrastructure,
      ],
    };
  }
}
