import type { EntityManager } from 'typeorm';

export interface StockItem {
  productId: string;
  onHand: number;
  manager: EntityManager;
}
