import { DynamicModule, Module } from '@nestjs/common';
import { InventoryController } from './api/inventory.controller';
import { CommitReservationHandler } from './application/commit-reservation/commit-reservation.handler';
import { GetStockHandler } from './application/get-stock/get-stock.handler';
import { OnCommitReservationHandler } from './application/inbound/on-commit-reservation.handler';
import { OnReleaseReservationHandler } from './application/inbound/on-release-reservation.handler';
import { OnReserveStockHandler } from './application/inbound/on-reserve-stock.handler';
import { ReleaseReservationHandler } from './application/release-reservation/release-reservation.handler';
import { ReserveStockHandler } from './application/reserve-stock/reserve-stock.handler';
import { SetStockHandler } from './application/set-stock/set-stock.handler';
import { DemoStockSeeder } from './infrastructure/demo-stock.seeder';
import { ReservationRepository } from './infrastructure/reservation.repository';
import { StockRepository } from './infrastructure/stock.repository';
import { INVENTORY_OPTIONS, InventoryOptions } from './inventory.options';

const commandHandlers = [SetStockHandler, ReserveStockHandler, CommitReservationHandler, ReleaseReservationHandler];
const queryHandlers = [GetStockHandler];
const inboundHandlers = [OnReserveStockHandler, OnCommitReservationHandler, OnReleaseReservationHandler];
const infrastructure = [StockRepository, ReservationRepository, DemoStockSeeder];

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
        ...inboundHandlers,
        ...infrastructure,
      ],
    };
  }
}
