import { ProductArchivedV1, ProductCreatedV1, ProductSnapshotV1, ProductUpdatedV1 } from '../../libs/contracts/catalog';
import {
  CommitReservationV1,
  ReleaseReservationV1,
  ReservationCommittedV1,
  ReservationReleasedV1,
  ReserveStockV1,
  StockReservationRejectedV1,
  StockReservedV1,
} from '../../libs/contracts/inventory';
import { UserRegisteredV1 } from '../../libs/contracts/identity';
import { IntegrationMessage } from '../../libs/contracts/message';
import { OrderCancelledV1, OrderCompletedV1, OrderConfirmedV1, OrderRejectedV1 } from '../../libs/contracts/ordering';
import {
  AuthorizePaymentV1,
  AuthorizePaymentV2,
  CapturePaymentV1,
  PaymentAuthorizedV1,
  PaymentCapturedV1,
  PaymentCaptureFailedV1,
  PaymentDeclinedV1,
  PaymentParkedV1,
  PaymentTransferReceivedV1,
  PaymentRefundedV1,
  PaymentTransferRequestedV1,
  PaymentVoidedV1,
  VoidPaymentV1,
} from '../../libs/contracts/payments';
import { MintOrderReceiptV1 } from '../../libs/contracts/receipts';

const ORDER = '01a20000-0000-7000-8000-0000000000a1';
const PRODUCT = '0190a000-0000-7000-8000-000000000001';
const OTHER_PRODUCT = '0190a000-0000-7000-8000-000000000002';
const PAYMENT = '01a20000-0000-7000-8000-0000000000b1';

const product: ProductSnapshotV1 = {
  productId: PRODUCT,
  sku: 'TEE-BLK-M',
  name: 'Black T-shirt',
  category: 'apparel',
  price: { amount: 1999, currency: 'EUR' },
  version: 3,
};

/** One realistic instance of every published contract, as its producer would send it. */
export const CONTRACT_EXAMPLES: readonly IntegrationMessage[] = [
  new ProductCreatedV1({ ...product, version: 1 }),
  new ProductUpdatedV1(product),
  new ProductArchivedV1({ productId: PRODUCT, version: 4 }),
  new ReserveStockV1({ orderId: ORDER, lines: [{ productId: PRODUCT, quantity: 2 }, { productId: OTHER_PRODUCT, quantity: 1 }] }),
  new StockReservedV1({ orderId: ORDER }),
  new StockReservationRejectedV1({ orderId: ORDER, reason: 'INSUFFICIENT_STOCK', productIds: [OTHER_PRODUCT] }),
  new CommitReservationV1({ orderId: ORDER }),
  new ReservationCommittedV1({ orderId: ORDER }),
  new ReleaseReservationV1({ orderId: ORDER }),
  new ReservationReleasedV1({ orderId: ORDER }),
  new AuthorizePaymentV1({ orderId: ORDER, amount: { amount: 5997, currency: 'EUR' }, method: 'card', token: 'tok_visa' }),
  new AuthorizePaymentV2({
    orderId: ORDER,
    customerId: '0190a000-0000-7000-8000-0000000000a1',
    amount: { amount: 5997, currency: 'EUR' },
    method: 'card',
    paymentMethodRef: 'pmr1.mX5g8xFdiSM.9so2ouif5E9UpvL2SXDfTrZnXflMHXTQ00IpyL4gaQ8.6f07O5no6Kh-w-vT.DucjwZl0Npc.w1bpykqKsdbz1BdNBGroLw',
    paymentMethodRefExpiresAt: '2026-01-15T09:45:00.000Z',
  }),
  new PaymentAuthorizedV1({ orderId: ORDER, paymentId: PAYMENT, amount: { amount: 5997, currency: 'EUR' } }),
  new PaymentDeclinedV1({ orderId: ORDER, reason: 'card_declined' }),
  new CapturePaymentV1({ orderId: ORDER }),
  new PaymentCapturedV1({ orderId: ORDER }),
  new VoidPaymentV1({ orderId: ORDER }),
  new PaymentVoidedV1({ orderId: ORDER }),
  new PaymentRefundedV1({
    orderId: ORDER,
    paymentId: PAYMENT,
    refundId: '01a20000-0000-7000-8000-0000000000c1',
    amount: { amount: 1999, currency: 'EUR' },
    totalRefunded: { amount: 1999, currency: 'EUR' },
    paymentStatus: 'PARTIALLY_REFUNDED',
  }),
  new PaymentCaptureFailedV1({ orderId: ORDER, paymentId: PAYMENT, reason: 'authorization_expired' }),
  new PaymentParkedV1({ orderId: ORDER, parkedUntil: '2026-01-15T09:50:00.000Z' }),
  new PaymentTransferRequestedV1({
    orderId: ORDER,
    paymentId: PAYMENT,
    chainId: 137,
    token: 'EURC',
    tokenAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    receivingAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    amount: '59970000',
    expiresAt: '2026-01-15T09:45:00.000Z',
  }),
  new PaymentTransferReceivedV1({
    orderId: ORDER,
    paymentId: PAYMENT,
    chainId: 137,
    payer: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
    tokenAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    amount: '59970000',
    transactionHashes: ['0x8f6e5b1c0a2d4e3f9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a'],
  }),
  new OrderConfirmedV1({
    orderId: ORDER,
    customerId: 'cus_42',
    total: { amount: 5997, currency: 'EUR' },
    lines: [
      { productId: PRODUCT, quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } },
      { productId: OTHER_PRODUCT, quantity: 1, unitPrice: { amount: 1999, currency: 'EUR' } },
    ],
  }),
  new OrderCompletedV1({ orderId: ORDER, customerId: 'cus_42', total: { amount: 5997, currency: 'EUR' } }),
  new MintOrderReceiptV1({
    orderId: ORDER,
    // ORDER's 128 bits as an unsigned integer.
    tokenId: '2170380086868086862995200902732710049',
    chainId: 137,
    contractAddress: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    owner: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  }),
  new OrderCancelledV1({ orderId: ORDER, customerId: 'cus_42', total: { amount: 5997, currency: 'EUR' }, reasons: ['payment: authorization_expired'] }),
  new UserRegisteredV1({ userId: ORDER, email: 'ann@example.com', registeredAt: '2026-01-15T09:30:00.000Z' }),
  new OrderRejectedV1({
    orderId: ORDER,
    customerId: 'cus_42',
    status: 'ROLLED_BACK',
    reasons: ['payment: card_declined'],
  }),
];
