import {
  AuthorizationRequest,
  CaptureRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderError,
  ProviderRefusedError,
  ProviderTimeoutError,
  RefundRequest,
  VoidRequest,
} from '../application/ports/payment-provider';

export interface CardProviderOptions {
  /** Where the card provider's API lives, as `http://127.0.0.1:4010` (its routes are under /card/v1). */
  baseUrl: string;
  /** A call without a whole answer after this long is abandoned. */
  timeoutMs: number;
}

/** The error body every provider answers with (docs/providers-simulator.md). */
interface ErrorBody {
  error?: { code?: string; message?: string; retryable?: boolean };
}

type CallResult = { ok: true; body: unknown } | { ok: false; status: number; code: string; message: string };

function refusal({ status, code, message }: Extract<CallResult, { ok: false }>, what: string): ProviderRefusedError {
  return new ProviderRefusedError(code, `the card provider refused ${what} (${status} ${code}): ${message}`);
}

/** A decline is a 402 with a card error: an answer, not a failure. */
const DECLINED = 402;

/**
 * The card provider's API (Stripe-like payment intents, captured manually) over HTTP. Every call
 * carries an idempotency key made of the payment id and the operation, so a call repeated after a
 * crash or a retry has its effect once. Retryable errors (409, 429, 5xx) and dropped connections
 * are ProviderErrors; other refusals are final.
 */
export class CardPaymentProvider implements PaymentProvider {
  private readonly paymentIntents: string;
  private readonly refunds: string;

  constructor(private readonly options: CardProviderOptions) {
    const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.paymentIntents = new URL('card/v1/payment_intents', base).href;
    this.refunds = new URL('card/v1/refunds', base).href;
  }

  async authorize({ paymentId, orderId, amount, token }: AuthorizationRequest): Promise<ProviderAnswer> {
    const result = await this.post(this.paymentIntents, `${paymentId}:authorize`, {
      amount: amount.amount,
      currency: amount.currency.toLowerCase(),
      payment_method: token,
      capture_method: 'manual',
      metadata: { order_id: orderId, payment_id: paymentId },
    });
    if (result.ok) return { approved: true, reference: (result.body as { id: string }).id };
    if (result.status === DECLINED) return { approved: false, reason: result.code };
    throw refusal(result, `the authorization of payment ${paymentId}`);
  }

  async capture({ paymentId, reference, amount }: CaptureRequest): Promise<void> {
    const result = await this.post(`${this.paymentIntents}/${encodeURIComponent(reference)}/capture`, `${paymentId}:capture`, {
      amount_to_capture: amount.amount,
    });
    if (!result.ok) throw refusal(result, `the capture of payment ${paymentId}`);
  }

  async void({ paymentId, reference }: VoidRequest): Promise<void> {
    const result = await this.post(`${this.paymentIntents}/${encodeURIComponent(reference)}/cancel`, `${paymentId}:void`, {});
    if (!result.ok) throw refusal(result, `the void of payment ${paymentId}`);
  }

  async refund({ refundId, reference, amount }: RefundRequest): Promise<string> {
    const result = await this.post(this.refunds, `${refundId}:refund`, { payment_intent: reference, amount: amount.amount });
    if (!result.ok) throw refusal(result, `refund ${refundId}`);
    return (result.body as { id: string }).id;
  }

  private async post(url: string, idempotencyKey: string, body: object): Promise<CallResult> {
    let status: number;
    let answer: unknown;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        // Covers reading the body too: a provider that stalls halfway through its answer times out as well.
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      answer = await response.json().catch(() => undefined);
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') {
        throw new ProviderTimeoutError(`no answer from the card provider within ${this.options.timeoutMs} ms`);
      }
      throw new ProviderError(`the card provider could not be reached: ${String((error as Error)?.cause ?? error)}`);
    }
    if (status >= 200 && status < 300) return { ok: true, body: answer };
    const { code = `http_${status}`, message = `HTTP ${status}`, retryable = status >= 500 || status === 409 || status === 429 } =
      (answer as ErrorBody | undefined)?.error ?? {};
    if (retryable) throw new ProviderError(`the card provider failed (${status} ${code}): ${message}`);
    return { ok: false, status, code, message };
  }
}
