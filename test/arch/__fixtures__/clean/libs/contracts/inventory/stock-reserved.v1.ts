import { IntegrationMessage } from '../message';

export class StockReservedV1 implements IntegrationMessage<{ productId: string; quantity: number }> {
  constructor(readonly payload: { productId: string; quantity: number }) {}
}
