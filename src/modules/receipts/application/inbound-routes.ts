import { OrderCompletedV1, OrderConfirmedV1 } from '../../../../libs/contracts/ordering';
import { PaymentTransferReceivedV1 } from '../../../../libs/contracts/payments';
import { MintOrderReceiptV1 } from '../../../../libs/contracts/receipts';
import { consumes, on } from '../../../../libs/messaging';
import { MintReceiptCommand } from './mint-receipt/mint-receipt.command';
import { RecordOrderFactCommand } from './record-order-fact/record-order-fact.command';

/**
 * An order's confirmation (its lines, when), its on-chain payment (which wallet) and its completion
 * (paid, will ship), in any order; then the receipt's mint, which receipts asks of itself.
 */
export const receiptsInbound = consumes('receipts', [
  on(OrderConfirmedV1, ({ orderId, customerId, total, lines }, { occurredAt }) =>
    new RecordOrderFactCommand(orderId, { kind: 'confirmed', customerId, total, lines: lines ?? [], confirmedAt: new Date(occurredAt) }),
  ),
  on(PaymentTransferReceivedV1, ({ orderId, paymentId, chainId, payer }) =>
    new RecordOrderFactCommand(orderId, { kind: 'paid-on-chain', paymentId, chainId, payer }),
  ),
  on(OrderCompletedV1, ({ orderId }, { occurredAt }) => new RecordOrderFactCommand(orderId, { kind: 'completed', completedAt: new Date(occurredAt) })),
  // Commits before broadcasting the transaction and after its receipt, so never inside a batch's shared transaction.
  on(
    MintOrderReceiptV1,
    ({ orderId, tokenId, chainId, contractAddress, owner }) => new MintReceiptCommand(orderId, BigInt(tokenId), { chainId, contractAddress, owner }),
    { ownTransactions: true },
  ),
]);
