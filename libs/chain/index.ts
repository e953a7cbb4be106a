export * from './chains';
export * from './chain-clients';
export * from './chain.module';
export * from './deploy';
export { OrderReceiptAbi, OrderReceiptBytecode } from './contracts/generated/order-receipt';
export { TestSmartWalletAbi, TestSmartWalletBytecode } from './contracts/generated/test-smart-wallet';
export { TestStablecoinAbi, TestStablecoinBytecode } from './contracts/generated/test-stablecoin';
export * from './keystore';
