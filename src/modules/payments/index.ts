export { PaymentsModule } from './payments.module';
export type { TransferPaymentOptions } from './payments.options';
