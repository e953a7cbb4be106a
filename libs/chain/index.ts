export * from './chains';
export * from './chain-clients';
export * from './deploy';
export { OrderReceiptAbi, OrderReceiptBytecode } from './contracts/generated/order-receipt';
export { TestStablecoinAbi, TestStablecoinBytecode } from './contracts/generated/test-stablecoin';
export * from './keystore';
