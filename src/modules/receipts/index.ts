export { ReceiptsModule } from './receipts.module';
export { DEFAULT_RECEIPTS_OPTIONS } from './receipts.options';
export type { ReceiptMinting, ReceiptsOptions } from './receipts.options';
