export * from './mint-order-receipt.v1';
