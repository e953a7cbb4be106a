import { Test } from '@nestjs/testing';
import { InventoryModule } from './inventory.module';

export const compileInventory = () => Test.createTestingModule({ imports: [InventoryModule] }).compile();
