import { DynamicModule, Module } from '@nestjs/common';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { makeScrapedGaugeProvider } from '../../../libs/observability';
import { InventoryController } from './api/inventory.controller';
import { CommitReservationHandler } from './application/commit-reservation/commit-reservation.handler';
import { GetStockHandler } from './application/get-stock/get-stock.handler';
import { inventoryInbound } from './application/inbound-routes';
import { INVENTORY_OPERATIONS } from './application/inventory-operations.metric';
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
const metrics = [
  makeCounterProvider({
    name: INVENTORY_OPERATIONS,
    help: 'Reservations, commits and releases of stock, by result (ok, rejected, repeated)',
    labelNames: ['operation', 'result'],
  }),
  makeScrapedGaugeProvider({
    name: 'inventory_level_gauge',
    // Summed over all products: a label per product would grow with the catalog.
    help: 'Units of stock summed over every product: on_hand, reserved, available',
    labelNames: ['quantity'],
    inject: [StockRepository],
    read: async (stock: StockRepository) => {
      const { onHand, reserved } = await stock.totals();
      return [
        [{ quantity: 'on_hand' }, onHand],
        [{ quantity: 'reserved' }, reserved],
        [{ quantity: 'available' }, onHand - reserved],
      ] as const;
    },
  }),
];

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
        ...metrics,
      ],
    };
  }
}
