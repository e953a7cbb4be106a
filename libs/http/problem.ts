import { BadRequestException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';

/** One invalid input, named by its path in the request (`items[1].productId`, `limit`). */
export interface FieldError {
  field: string;
  message: string;
}

/** 400 with the offending fields listed; rendered as `application/problem+json`. */
export class InvalidInputException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super({ message: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors });
  }
}

/** 401 with the `WWW-Authenticate` challenge every 401 must carry (RFC 9110 §15.5.2). */
export class UnauthenticatedException extends UnauthorizedException {
  constructor(
    detail: string,
    readonly challenge: string,
  ) {
    super(detail);
  }
}

/**
 * 503 with `Retry-After`: the system is over its capacity (not this caller over a rate limit,
 * which is 429) and refuses new work rather than accept work it cannot finish in time.
 */
export class OverCapacityException extends ServiceUnavailableException {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
  }
}

/**
 * 503 from a readiness probe: which dependency is down travels with the problem as its `checks`
 * extension member (RFC 9457 §3.2), so an operator reading the answer sees what to look at.
 */
export class NotReadyException extends ServiceUnavailableException {
  constructor(readonly checks: Record<string, object>) {
    super('not ready');
  }
}
