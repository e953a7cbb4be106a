import { Injectable } from '@nestjs/common';

@Injectable()
export class StockPolicy {
  canReserve(onHand: number, quantity: number): boolean {
    return quantity <= onHand;
  }
}
