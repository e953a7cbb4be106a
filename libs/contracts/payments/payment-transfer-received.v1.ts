import { defineMessage } from '../message';
import { arrayOf, integer, object, text, uuid } from '../schema';
import { chainAddressV1Schema, OrderPaymentV1, tokenAmountV1Schema } from './payloads';

export interface PaymentTransferReceivedV1Payload extends OrderPaymentV1 {
  paymentId: string;
  chainId: number;
  /** The address the (first) counted transfer came from: the wallet that paid. */
  payer: string;
  tokenAddress: string;
  /** What the counted transfers brought in all, in the token's smallest unit; more than asked for is an overpayment. */
  amount: string;
  /** The transactions of the counted transfers. */
  transactionHashes: string[];
}

export const paymentTransferReceivedV1Schema = object<PaymentTransferReceivedV1Payload>({
  orderId: uuid(),
  paymentId: uuid(),
  chainId: integer(1),
  payer: chainAddressV1Schema,
  tokenAddress: chainAddressV1Schema,
  amount: tokenAmountV1Schema,
  transactionHashes: arrayOf(text(66, { pattern: '^0x[0-9a-fA-F]{64}$' }), { minItems: 1, maxItems: 100 }),
});

/**
 * An order's crypto payment arrived on-chain, with its confirmations, and the payment is authorized:
 * who paid, where, with which transactions. Published with PaymentAuthorizedV1.
 */
export class PaymentTransferReceivedV1 extends defineMessage<PaymentTransferReceivedV1Payload>(
  {
    type: 'payments.payment.transfer-received',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  paymentTransferReceivedV1Schema,
) {}
