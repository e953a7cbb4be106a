import { Money } from '../domain/payment';
import { STABLECOIN_OF_CURRENCY } from '../domain/transfer-request';
import {
  AuthorizationRequest,
  CaptureRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderRefusedError,
  RefundRequest,
  VoidRequest,
} from '../application/ports/payment-provider';
import { ProviderEndpointOptions, ProviderHttpClient } from './provider-http-client';

export interface CryptoSettlement {
  /** The chain payments are received on: `ethereum`, `polygon`, `bitcoin`, `solana`. */
  chain: string;
  /** The shop's address on that chain, where payers' transfers land. */
  receivingAddress: string;
  /**
   * Where refunds, and voids of settled payments, are sent: checkout does not ask the payer for an
   * address of theirs, so this is the address support pays customers back from.
   */
  refundAddress: string;
}

/** The simulator's stablecoins have 6 decimals: a minor unit (a cent) is 10^4 of their smallest unit. */
const SMALLEST_UNITS_PER_MINOR_UNIT = 10_000;

interface PaymentRequest {
  id: string;
  status: 'awaiting_transfer' | 'settled' | 'cancelled';
  transfers: { hash: string; direction: 'in' | 'out' }[];
}

/**
 * A crypto provider's payment requests over HTTP, in the currency's stablecoin: a request settles
 * when the payer's transfer lands, which is final, as a transfer on a chain is. So an authorization
 * is a settled request; capturing checks that it settled; voiding gives it all back (a request is
 * cancelled only while it awaits its transfer); a refund is a transfer back, named by its hash. A
 * request that did not settle at once is cancelled and declined `transfer_not_received`: the shop
 * learns of later transfers from no one. Keys as the other providers': `<payment id>:<operation>`.
 */
export class CryptoPaymentProvider implements PaymentProvider {
  private readonly http: ProviderHttpClient;

  constructor(
    { baseUrl, timeoutMs }: ProviderEndpointOptions,
    private readonly settlement: CryptoSettlement,
  ) {
    this.http = new ProviderHttpClient({ provider: 'crypto', baseUrl, prefix: 'crypto/v1/', idempotencyHeader: 'idempotency-key', timeoutMs });
  }

  async authorize({ paymentId, orderId, amount, token }: AuthorizationRequest): Promise<ProviderAnswer> {
    const result = await this.http.post('payment_requests', `${paymentId}:authorize`, {
      chain: this.settlement.chain,
      ...this.assetAmount(amount),
      receiving_address: this.settlement.receivingAddress,
      payment_method: token,
      metadata: { order_id: orderId, payment_id: paymentId },
    });
    if (!result.ok) return this.http.declineOf(result, `the payment request of payment ${paymentId}`);
    const request = result.body as PaymentRequest;
    if (request.status === 'settled') return { approved: true, reference: request.id };
    const cancelled = await this.http.post(`payment_requests/${encodeURIComponent(request.id)}/cancel`, `${paymentId}:cancel`, {});
    this.http.bodyOf(cancelled, `the cancellation of the unpaid request of payment ${paymentId}`);
    return { approved: false, reason: 'transfer_not_received' };
  }

  /** Nothing to take: a settled request holds the transfer already. */
  async capture({ paymentId, reference }: CaptureRequest): Promise<string> {
    const result = await this.http.get(`payment_requests/${encodeURIComponent(reference)}`);
    const { status } = this.http.bodyOf<PaymentRequest>(result, `the capture of payment ${paymentId}`);
    if (status !== 'settled') throw new ProviderRefusedError('payment_request_unexpected_state', `payment request ${reference} of payment ${paymentId} is ${status}`);
    return reference;
  }

  /** A settled transfer cannot be released, only given back in full. */
  async void({ paymentId, reference }: VoidRequest): Promise<void> {
    await this.transferBack(reference, `${paymentId}:void`, {}, `the void of payment ${paymentId}`);
  }

  refund({ refundId, reference, amount }: RefundRequest): Promise<string> {
    return this.transferBack(reference, `${refundId}:refund`, { amount: this.assetAmount(amount).amount }, `refund ${refundId}`);
  }

  /** Resolves to the hash of the transfer back. */
  private async transferBack(reference: string, idempotencyKey: string, amount: { amount?: number }, what: string): Promise<string> {
    const result = await this.http.post(`payment_requests/${encodeURIComponent(reference)}/refunds`, idempotencyKey, {
      ...amount,
      refund_address: this.settlement.refundAddress,
    });
    // The transfer this call made is the newest going out; a replay answers the same body.
    const outgoing = this.http.bodyOf<PaymentRequest>(result, what).transfers.filter((transfer) => transfer.direction === 'out');
    return outgoing[outgoing.length - 1].hash;
  }

  private assetAmount({ amount, currency }: Money): { asset: string; amount: number } {
    const asset = STABLECOIN_OF_CURRENCY[currency];
    if (!asset) throw new ProviderRefusedError('currency_unsupported', `the crypto provider takes no payment in ${currency}`);
    return { asset, amount: amount * SMALLEST_UNITS_PER_MINOR_UNIT };
  }
}
