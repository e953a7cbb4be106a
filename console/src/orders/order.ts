import type { Money } from '../format';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'REJECTED', 'ROLLED_BACK', 'COMPLETED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** No event follows these: the order's page stops asking. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['REJECTED', 'ROLLED_BACK', 'COMPLETED', 'CANCELLED'];

export interface Order {
  id: string;
  status: OrderStatus;
  customerId: string;
  items: { productId: string; quantity: number; unitPrice: Money }[];
  total: Money;
  reasons: string[];
  createdAt: string;
  updatedAt: string;
}

export interface OrderPage {
  items: Order[];
  nextCursor: string | null;
}

export interface OrderEvent {
  version: number;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}
