import { BaseUrl, folderOf, JsonAnswer, JsonRequest, JsonRequestTimeoutError, requestJson } from '../../../../libs/http';
import { ProviderAnswer, ProviderError, ProviderRefusedError, ProviderTimeoutError } from '../application/ports/payment-provider';

/** The error body every provider answers with (docs/providers-simulator.md). */
interface ErrorBody {
  error?: { code?: string; message?: string; retryable?: boolean };
}

/** A provider's refusal: final, unlike its retryable errors, which are thrown as ProviderErrors. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}

export type CallResult = { ok: true; body: unknown } | ({ ok: false } & Refusal);

/** Where an adapter finds its provider, and how long it waits for it. */
export interface ProviderEndpointOptions {
  /**
   * Where the providers' APIs live, as `http://127.0.0.1:4010` (the card's routes under /card/v1,
   * PayPal's under /paypal/v2, …), or how to find the simulator the process hosts.
   */
  baseUrl: BaseUrl;
  /** A call without a whole answer after this long is abandoned. */
  timeoutMs: number;
}

export interface ProviderHttpOptions extends ProviderEndpointOptions {
  /** Named in errors: `card`, `paypal`, `crypto`. */
  provider: string;
  /** The provider's routes under it, as `paypal/v2/`; call paths are relative to it. */
  prefix: string;
  /** The header that carries the idempotency key (PayPal's is `PayPal-Request-Id`). */
  idempotencyHeader: string;
}

/** A decline is a 402: an answer, not a failure. */
const DECLINED = 402;

/**
 * The HTTP calls of every payment provider adapter, with one error mapping: retryable answers
 * (409, 429, 5xx, or as the body's `retryable` says) and dropped connections are ProviderErrors,
 * no whole answer in time is a ProviderTimeoutError (the call is aborted), any other refusal is
 * returned for the adapter to read as a decline or to throw as final (`refused`).
 */
export class ProviderHttpClient {
  private readonly base: () => Promise<URL>;

  constructor(private readonly options: ProviderHttpOptions) {
    this.base = folderOf(options.baseUrl, options.prefix);
  }

  post(path: string, idempotencyKey: string, body: object): Promise<CallResult> {
    return this.call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [this.options.idempotencyHeader]: idempotencyKey },
      body: JSON.stringify(body),
    });
  }

  get(path: string): Promise<CallResult> {
    return this.call(path, { method: 'GET' });
  }

  /** A refusal for good of `what`, with the provider's code. */
  refused({ status, code, message }: Refusal, what: string): ProviderRefusedError {
    return new ProviderRefusedError(code, `the ${this.options.provider} provider refused ${what} (${status} ${code}): ${message}`);
  }

  /** The body of an answer that did what was asked; a refusal of `what` is thrown, final. */
  bodyOf<T>(result: CallResult, what: string): T {
    if (!result.ok) throw this.refused(result, what);
    return result.body as T;
  }

  /** A refusal of an authorization: a decline (402) is an answer; any other is thrown, final. */
  declineOf(refusal: Refusal, what: string): ProviderAnswer {
    if (refusal.status === DECLINED) return { approved: false, reason: refusal.code };
    throw this.refused(refusal, what);
  }

  private async call(path: string, call: Omit<JsonRequest, 'timeoutMs'>): Promise<CallResult> {
    const { provider, timeoutMs } = this.options;
    let answer: JsonAnswer;
    try {
      answer = await requestJson(new URL(path, await this.base()), { ...call, timeoutMs });
    } catch (error) {
      if (error instanceof JsonRequestTimeoutError) throw new ProviderTimeoutError(`no answer from the ${provider} provider within ${timeoutMs} ms`);
      throw new ProviderError(`the ${provider} provider could not be reached: ${String(error)}`);
    }
    const { status, body } = answer;
    if (status >= 200 && status < 300) return { ok: true, body };
    const { code = `http_${status}`, message = `HTTP ${status}`, retryable = status >= 500 || status === 409 || status === 429 } =
      (body as ErrorBody | undefined)?.error ?? {};
    if (retryable) throw new ProviderError(`the ${provider} provider failed (${status} ${code}): ${message}`);
    return { ok: false, status, code, message };
  }
}
