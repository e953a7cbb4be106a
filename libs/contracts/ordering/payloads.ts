import { MoneyV1 } from '../message';

export interface OrderConfirmedV1Payload {
  orderId: string;
  customerId: string;
  total: MoneyV1;
}

export interface OrderRejectedV1Payload {
  orderId: string;
  customerId: string;
  /** REJECTED: nothing was held; ROLLED_BACK: what was held has been given back. */
  status: 'REJECTED' | 'ROLLED_BACK';
  reasons: string[];
}
