import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

@Injectable()
export class StockRepository {
  constructor(private readonly manager: EntityManager) {}

  async onHand(productId: string): Promise<number> {
    const [row]: { on_hand: number }[] = await this.manager.query(
      'SELECT on_hand FROM inventory.stock WHERE product_id = $1',
      [productId],
    );
    return row?.on_hand ?? 0;
  }

  async save(productId: string, onHand: number): Promise<void> {
    await this.manager.query('UPDATE inventory.stock SET on_hand = $2 WHERE product_id = $1', [productId, onHand]);
  }
}
