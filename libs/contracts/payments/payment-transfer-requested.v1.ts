import { defineMessage } from '../message';
import { integer, object, text, uuid } from '../schema';
import { chainAddressV1Schema, OrderPaymentV1, tokenAmountV1Schema } from './payloads';

export interface PaymentTransferRequestedV1Payload extends OrderPaymentV1 {
  paymentId: string;
  /** EIP-155 chain id of the chain the payer transfers on. */
  chainId: number;
  /** The ERC-20 token to transfer (a stablecoin of the order's currency): its symbol and contract. */
  token: string;
  tokenAddress: string;
  /** An address of the shop's made for this payment alone, so a transfer to it names the order. */
  receivingAddress: string;
  amount: string;
  /** ISO 8601 instant after which a transfer no longer pays the order (by the time of its block). */
  expiresAt: string;
}

export const paymentTransferRequestedV1Schema = object<PaymentTransferRequestedV1Payload>({
  orderId: uuid(),
  paymentId: uuid(),
  chainId: integer(1),
  token: text(20),
  tokenAddress: chainAddressV1Schema,
  receivingAddress: chainAddressV1Schema,
  amount: tokenAmountV1Schema,
  expiresAt: text(40),
});

/**
 * The order's crypto payment waits for the payer's on-chain transfer, until `expiresAt`: it is
 * authorized (or declined) by itself once the transfer has its confirmations. A reply, not a decision.
 */
export class PaymentTransferRequestedV1 extends defineMessage<PaymentTransferRequestedV1Payload>(
  {
    type: 'payments.payment.transfer-requested',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  paymentTransferRequestedV1Schema,
) {}
