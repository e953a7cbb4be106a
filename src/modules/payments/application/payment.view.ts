import { Money, PaymentProviderName, PaymentStatus } from '../domain/payment';
import { TransferRequestStatus } from '../domain/transfer-request';

/** A payment as the HTTP API shows it. */
export interface PaymentView {
  id: string;
  orderId: string;
  status: PaymentStatus;
  amount: Money | null;
  method: string | null;
  provider: PaymentProviderName | null;
  attempts: number;
  declineReason: string | null;
  /** A crypto payment paid by the payer's on-chain transfer: where, what and until when. */
  transferRequest: TransferRequestView | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TransferRequestView {
  chainId: number;
  token: string;
  tokenAddress: string;
  receivingAddress: string;
  /** In the token's smallest unit, as decimal strings. */
  amount: string;
  received: string;
  status: TransferRequestStatus;
  expiresAt: Date;
  payer: string | null;
}
