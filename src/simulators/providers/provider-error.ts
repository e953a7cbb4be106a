import type { FastifyError, FastifyInstance } from 'fastify';

/** Stripe's error types: what kind of fault it is, so a client knows whom to blame. */
export type ProviderErrorType = 'card_error' | 'invalid_request_error' | 'idempotency_error' | 'api_error';

/** Every error of every provider has this body, so one adapter rule tells a retry from a final answer. */
export interface ProviderErrorBody {
  error: {
    type: ProviderErrorType;
    code: string;
    message: string;
    retryable: boolean;
    [detail: string]: unknown;
  };
}


export class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly type: ProviderErrorType,
    readonly code: string,
    message: string,
    private readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** May succeed when sent again (with the same idempotency key): our faults, overload, a key still running. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 409 || this.status === 429;
  }

  body(): ProviderErrorBody {
    return { error: { type: this.type, code: this.code, message: this.message, retryable: this.retryable, ...this.details } };
  }
}

export function declined(code: string, message: string, details: Record<string, unknown> = {}): ProviderError {
  return new ProviderError(402, 'card_error', code, message, details);
}

export function invalidRequest(code: string, message: string, status = 400): ProviderError {
  return new ProviderError(status, 'invalid_request_error', code, message);
}

export function resourceMissing(kind: string, id: string): ProviderError {
  return new ProviderError(404, 'invalid_request_error', 'resource_missing', `No such ${kind}: '${id}'`);
}

export function unavailable(code: string, message: string, status = 503): ProviderError {
  return new ProviderError(status, 'api_error', code, message);
}

/** A schema's refusal, naming the parameter as Stripe's `param` does (`amount`, `purchase_units.0.amount`). */
function parameterInvalid(error: FastifyError): ProviderError {
  const [first] = error.validation!;
  const unknown = (first.params as { additionalProperty?: string }).additionalProperty;
  const path = first.instancePath.split('/').filter(Boolean);
  const param = [...path, ...(unknown ? [unknown] : [])].join('.');
  const message = unknown ? `${error.validationContext} has an unknown parameter '${param}'` : error.message;
  return new ProviderError(400, 'invalid_request_error', 'parameter_invalid', message, param ? { param } : {});
}

/** Fastify's own refusals (schema, body size, content type, JSON syntax) in the providers' error body. */
function fromFramework(error: FastifyError): ProviderError {
  if (error.validation) return parameterInvalid(error);
  const status = error.statusCode ?? 500;
  if (status >= 500) return unavailable('internal_error', 'The simulator failed to handle the request', 500);
  const code =
    {
      FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
      FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
    }[error.code] ?? 'invalid_request';
  return invalidRequest(code, error.message, status);
}

export function installErrorBodies(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const providerError = error instanceof ProviderError ? error : fromFramework(error);
    if (providerError.status === 503) reply.header('retry-after', '1');
    return reply.code(providerError.status).send(providerError.body());
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(invalidRequest('route_not_found', `No route ${request.method} ${request.url}`, 404).body()),
  );
}
