import { InvalidInputException } from './problem';

/** An Idempotency-Key header: 1 to 255 printable ASCII characters without spaces, as payment providers accept. */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7E]{1,255}$';
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);
const SHAPE = '1 to 255 printable ASCII characters without spaces';

/** The request's Idempotency-Key where a route requires one; missing or malformed is a 400 naming the header. */
export function requiredIdempotencyKey(value: string | undefined): string {
  if (value === undefined || !IDEMPOTENCY_KEY.test(value)) {
    throw new InvalidInputException([{ field: 'Idempotency-Key', message: `required: ${SHAPE}` }]);
  }
  return value;
}

/** The request's Idempotency-Key where a route takes one if sent; malformed is a 400 naming the header. */
export function optionalIdempotencyKey(value: string | undefined): string | undefined {
  if (value !== undefined && !IDEMPOTENCY_KEY.test(value)) {
    throw new InvalidInputException([{ field: 'Idempotency-Key', message: `must be ${SHAPE}` }]);
  }
  return value;
}
