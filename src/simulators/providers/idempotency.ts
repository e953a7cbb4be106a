import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import { invalidRequest, ProviderError } from './provider-error';
import { resourceStore } from './resource-store';

/** What a mutating call answers: kept under its idempotency key and replayed as it was. */
export interface Outcome {
  status: number;
  body: unknown;
}

interface KeyEntry {
  fingerprint: string;
  /** Unset while the first call with this key is still running. */
  outcome?: Outcome;
}

/**
 * Real providers forget a key after a day; a simulator under a load test sees a new key per call,
 * so it keeps the newest ones only. The cap bounds its memory however long it runs; a key older
 * than that many calls runs again, which no client retries that late.
 */
const KEYS_KEPT_PER_PROVIDER = 10_000;

/** The same JSON whatever the order of its object keys, so a resent body matches its first send. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The idempotency keys of one provider: each with the request it was first sent with and its outcome. */
export class IdempotencyKeys {
  private readonly entries = resourceStore<KeyEntry>(KEYS_KEPT_PER_PROVIDER);

  /** The outcome to replay, or undefined when the call is new and now runs under the key. */
  begin(key: string, fingerprint: string): Outcome | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint });
      return undefined;
    }
    if (entry.fingerprint !== fingerprint) {
      throw new ProviderError(
        422,
        'idempotency_error',
        'idempotency_key_reused',
        `Keys for idempotent requests can only be used with the same parameters they were first used with; '${key}' was sent with others`,
      );
    }
    if (!entry.outcome) {
      throw new ProviderError(409, 'idempotency_error', 'idempotency_key_in_use', `A request with the key '${key}' is still running; retry later`);
    }
    return entry.outcome;
  }

  complete(key: string, outcome: Outcome): void {
    const entry = this.entries.get(key);
    if (entry) entry.outcome = outcome;
  }

  /** A call that had no effect (a retryable failure, a client gone) frees its key for the retry. */
  release(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const MAX_KEY_LENGTH = 255;

export type MutationHandler<Route extends RouteGenericInterface> = (request: FastifyRequest<Route>, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * Runs a mutating call at most once per key: the same key and body replay the first outcome
 * (status and body) with `Idempotent-Replayed: true`; another body under the key is a 422, a key
 * still running a 409. Final outcomes, errors included, are kept; a retryable error is not, so a
 * retry under the same key runs again.
 */
export function idempotent<Route extends RouteGenericInterface>(
  keys: IdempotencyKeys,
  header: string,
  run: (request: FastifyRequest<Route>) => Outcome | Promise<Outcome>,
): MutationHandler<Route> {
  return async (request, reply) => {
    const key = request.headers[header];
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw invalidRequest('idempotency_key_missing', `Every mutating call needs a ${header} header of 1 to ${MAX_KEY_LENGTH} characters`);
    }
    const fingerprint = createHash('sha256').update(`${request.method} ${request.url}\n${canonicalJson(request.body)}`).digest('hex');
    reply.header(header, key);
    const replayed = keys.begin(key, fingerprint);
    if (replayed) return reply.header('idempotent-replayed', 'true').code(replayed.status).send(replayed.body);
    let outcome: Outcome;
    try {
      outcome = await run(request);
    } catch (error) {
      if (error instanceof ProviderError && !error.retryable) keys.complete(key, { status: error.status, body: error.body() });
      else keys.release(key);
      throw error;
    }
    keys.complete(key, outcome);
    return reply.code(outcome.status).send(outcome.body);
  };
}
