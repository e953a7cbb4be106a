import { Command } from '@nestjs/cqrs';
import { PaymentMethod } from '../../domain/order-events';

export interface PlaceOrderInput {
  customerId: string;
  items: { productId: string; quantity: number }[];
  payment: { method: PaymentMethod; token: string };
  /** The client's `Idempotency-Key`: the same key and request place one order, however often sent. */
  idempotencyKey?: string;
}

export interface PlacedOrder {
  id: string;
  /** True when the key had placed this order before: nothing new was written. */
  replayed: boolean;
}

export class PlaceOrderCommand extends Command<PlacedOrder> {
  constructor(readonly input: PlaceOrderInput) {
    super();
  }
}
