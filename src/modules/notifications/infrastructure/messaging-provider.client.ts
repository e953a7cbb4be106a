import { STATUS_CODES } from 'node:http';
import { BaseUrl, folderOf, JsonAnswer, JsonRequestTimeoutError, requestJson } from '../../../../libs/http';
import { SendFailedError } from '../application/ports/notification-sender';

export interface MessagingProviderOptions {
  /** Named in errors: `SMS provider`, `push provider`. */
  name: string;
  /** Where its API lives, as `http://127.0.0.1:4010`, or how to find the simulator the process hosts. */
  baseUrl: BaseUrl;
  /** A call without a whole answer after this long is abandoned, and retried later. */
  timeoutMs: number;
}

/** The error body the providers answer with (docs/providers-simulator.md). */
interface ProviderErrorBody {
  error?: { code?: string; message?: string; retryable?: boolean };
}

/** Busy (409 key in use, 429) or failing (5xx): worth another try later, when the provider says nothing else. */
const retryableStatus = (status: number): boolean => status === 409 || status === 429 || status >= 500;

/**
 * An SMS or push provider's HTTP API: a JSON POST per message under an idempotency key, so the
 * provider answers a repeated call with its first answer and sends nothing more. A refusal the
 * provider marks retryable, a timeout and an unreachable provider are transient SendFailedErrors;
 * any other refusal (a number no message reaches, an unregistered device) is permanent.
 */
export class MessagingProviderClient {
  private readonly base: () => Promise<URL>;

  constructor(private readonly options: MessagingProviderOptions) {
    this.base = folderOf(options.baseUrl);
  }

  /** `route` is relative, as `sms/v1/messages`. */
  async post(route: string, idempotencyKey: string, message: object): Promise<void> {
    const { name, timeoutMs } = this.options;
    let answer: JsonAnswer;
    try {
      const headers = { 'content-type': 'application/json', 'idempotency-key': idempotencyKey };
      answer = await requestJson(new URL(route, await this.base()), { method: 'POST', headers, body: JSON.stringify(message), timeoutMs });
    } catch (error) {
      const cause = error instanceof JsonRequestTimeoutError ? error.message : String(error);
      throw new SendFailedError(`the ${name} could not be reached: ${cause}`, false);
    }
    const { status } = answer;
    if (status >= 200 && status < 300) return;
    const refusal = (answer.body as ProviderErrorBody | undefined)?.error ?? {};
    const { code = `http_${status}`, message: reason = STATUS_CODES[status] ?? `HTTP ${status}`, retryable = retryableStatus(status) } = refusal;
    throw new SendFailedError(`the ${name} refused it (${status} ${code}): ${reason}`, !retryable);
  }
}
