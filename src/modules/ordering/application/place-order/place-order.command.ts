import { Command } from '@nestjs/cqrs';
import { PaymentMethod } from '../../domain/order-events';

export interface PlaceOrderInput {
  customerId: string;
  items: { productId: string; quantity: number }[];
  payment: { method: PaymentMethod; token: string };
}

export class PlaceOrderCommand extends Command<{ id: string }> {
  constructor(readonly input: PlaceOrderInput) {
    super();
  }
}
