import { Module } from '@nestjs/common';
import { InventoryModule } from './modules/inventory';

@Module({ imports: [InventoryModule] })
export class AppModule {}
