import { Module } from '@nestjs/common';
import { ReserveStockHandler } from './application/reserve-stock.handler';
import { StockRepository } from './infrastructure/stock.repository';

@Module({ providers: [ReserveStockHandler, StockRepository] })
export class InventoryModule {}
