import { PAYMENT_METHODS } from '../../modules/payments';
import { PaymentAuthorizedV1 } from '../../../libs/contracts/payments/payment-authorized.v1';

export const approves = (method: string): boolean => PAYMENT_METHODS.includes(method) && PaymentAuthorizedV1.name !== '';
