import {
  AuthorizationRequest,
  CaptureRequest,
  PaymentProvider,
  ProviderAnswer,
  RefundRequest,
  VoidRequest,
} from '../application/ports/payment-provider';
import { ProviderEndpointOptions, ProviderHttpClient } from './provider-http-client';

/**
 * The card provider's API (Stripe-like payment intents, captured manually) over HTTP. Every call
 * carries an idempotency key made of the payment id and the operation, so a call repeated after a
 * crash or a retry has its effect once. Errors are mapped by ProviderHttpClient.
 */
export class CardPaymentProvider implements PaymentProvider {
  private readonly http: ProviderHttpClient;

  constructor({ baseUrl, timeoutMs }: ProviderEndpointOptions) {
    this.http = new ProviderHttpClient({ provider: 'card', baseUrl, prefix: 'card/v1/', idempotencyHeader: 'idempotency-key', timeoutMs });
  }

  async authorize({ paymentId, orderId, amount, token }: AuthorizationRequest): Promise<ProviderAnswer> {
    const result = await this.http.post('payment_intents', `${paymentId}:authorize`, {
      amount: amount.amount,
      currency: amount.currency.toLowerCase(),
      payment_method: token,
      capture_method: 'manual',
      metadata: { order_id: orderId, payment_id: paymentId },
    });
    if (!result.ok) return this.http.declineOf(result, `the authorization of payment ${paymentId}`);
    return { approved: true, reference: (result.body as { id: string }).id };
  }

  /** The payment intent is what refunds name, so it stays the reference. */
  async capture({ paymentId, reference, amount }: CaptureRequest): Promise<string> {
    const result = await this.http.post(`payment_intents/${encodeURIComponent(reference)}/capture`, `${paymentId}:capture`, {
      amount_to_capture: amount.amount,
    });
    this.http.bodyOf(result, `the capture of payment ${paymentId}`);
    return reference;
  }

  async void({ paymentId, reference }: VoidRequest): Promise<void> {
    this.http.bodyOf(await this.http.post(`payment_intents/${encodeURIComponent(reference)}/cancel`, `${paymentId}:void`, {}), `the void of payment ${paymentId}`);
  }

  async refund({ refundId, reference, amount }: RefundRequest): Promise<string> {
    const result = await this.http.post('refunds', `${refundId}:refund`, { payment_intent: reference, amount: amount.amount });
    return this.http.bodyOf<{ id: string }>(result, `refund ${refundId}`).id;
  }
}

