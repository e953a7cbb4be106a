import { Query } from '@nestjs/cqrs';
import { OrderStatus } from '../../domain/order';
import { OrderEventType } from '../../domain/order-events';

export interface OrderView {
  id: string;
  status: OrderStatus;
  customerId: string;
  items: { productId: string; quantity: number; unitPrice: { amount: number; currency: string } }[];
  total: { amount: number; currency: string };
  reasons: string[];
  createdAt: string;
  updatedAt: string;
}

export interface OrderHistoryEntry {
  version: number;
  type: OrderEventType;
  occurredAt: string;
  data: object;
}

export interface OrderPage {
  items: OrderView[];
  nextCursor: string | null;
}

export class GetOrderQuery extends Query<OrderView | undefined> {
  constructor(readonly orderId: string) {
    super();
  }
}

export class GetOrderHistoryQuery extends Query<OrderHistoryEntry[]> {
  constructor(readonly orderId: string) {
    super();
  }
}

export class ListOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly filter: { customerId?: string; status?: OrderStatus },
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
