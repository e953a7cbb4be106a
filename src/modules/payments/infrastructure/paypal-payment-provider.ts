import { Money } from '../domain/payment';
import {
  AuthorizationRequest,
  CaptureRequest,
  PaymentProvider,
  ProviderAnswer,
  RefundRequest,
  VoidRequest,
} from '../application/ports/payment-provider';
import { ProviderEndpointOptions, ProviderHttpClient } from './provider-http-client';

/** PayPal's money: a decimal string with two places (our amounts are in minor units of two-decimal currencies). */
function paypalMoney({ amount, currency }: Money): { currency_code: string; value: string } {
  return { currency_code: currency, value: (amount / 100).toFixed(2) };
}

interface PaypalOrder {
  id: string;
  purchase_units: { payments?: { authorizations?: { id: string }[] } }[];
}

/**
 * A PayPal-like provider (Orders v2 and Payments v2) over HTTP: an authorization is an order paid
 * with the payer's vaulted token (created, then authorized), whose authorization is captured or
 * voided; refunds name the capture, so a capture answers with its id. Every call carries
 * `PayPal-Request-Id` made of the payment id and the operation (the order's creation is
 * `<payment id>:order`), so a repeated call is a replay. Errors are mapped by ProviderHttpClient.
 */
export class PaypalPaymentProvider implements PaymentProvider {
  private readonly http: ProviderHttpClient;

  constructor({ baseUrl, timeoutMs }: ProviderEndpointOptions) {
    this.http = new ProviderHttpClient({ provider: 'paypal', baseUrl, prefix: 'paypal/v2/', idempotencyHeader: 'paypal-request-id', timeoutMs });
  }

  async authorize({ paymentId, orderId, amount, token }: AuthorizationRequest): Promise<ProviderAnswer> {
    const created = await this.http.post('checkout/orders', `${paymentId}:order`, {
      intent: 'AUTHORIZE',
      purchase_units: [{ reference_id: orderId, amount: paypalMoney(amount) }],
      payment_source: { token: { id: token, type: 'BILLING_AGREEMENT' } },
    });
    const order = this.http.bodyOf<PaypalOrder>(created, `the order of payment ${paymentId}`);
    const result = await this.http.post(`checkout/orders/${encodeURIComponent(order.id)}/authorize`, `${paymentId}:authorize`, {});
    if (!result.ok) return this.http.declineOf(result, `the authorization of payment ${paymentId}`);
    // An authorized order holds its one authorization.
    const [authorization] = (result.body as PaypalOrder).purchase_units[0].payments!.authorizations!;
    return { approved: true, reference: authorization.id };
  }

  async capture({ paymentId, reference, amount }: CaptureRequest): Promise<string> {
    const result = await this.http.post(`payments/authorizations/${encodeURIComponent(reference)}/capture`, `${paymentId}:capture`, {
      amount: paypalMoney(amount),
      final_capture: true,
    });
    return this.http.bodyOf<{ id: string }>(result, `the capture of payment ${paymentId}`).id;
  }

  async void({ paymentId, reference }: VoidRequest): Promise<void> {
    const result = await this.http.post(`payments/authorizations/${encodeURIComponent(reference)}/void`, `${paymentId}:void`, {});
    this.http.bodyOf(result, `the void of payment ${paymentId}`);
  }

  async refund({ refundId, reference, amount }: RefundRequest): Promise<string> {
    const result = await this.http.post(`payments/captures/${encodeURIComponent(reference)}/refund`, `${refundId}:refund`, {
      amount: paypalMoney(amount),
    });
    return this.http.bodyOf<{ id: string }>(result, `refund ${refundId}`).id;
  }
}
