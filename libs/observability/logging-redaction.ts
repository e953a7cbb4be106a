/** What a secret is shown as, in logs and in admin views of stored messages. */
export const REDACTED = '[redacted]';

/**
 * Names of fields that hold credentials or personal data, compared in lower case without `_`,
 * `-` or spaces: `token`, `refresh_token`, `paymentToken`, `x-api-key`, `Authorization`,
 * `set-cookie`, `cardNumber`, `customerEmail`, …
 */
const SECRET_NAME = /token|passw(?:or)?d|secret|authori[sz]ation|cookie|apikey|cardnumber|cvc|cvv|privatekey|credential|email/;

/** An e-mail address, also percent-encoded as in a query string (`jane%40example.com`). */
const EMAIL = /[\w.+-]+(?:@|%40)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;

/** Answers for the field names seen so far: a process logs the same few names again and again. */
const secretFieldAnswers = new Map<string, boolean>();
/** Bounds the answers kept, should lines carry names taken from callers' input. */
const SECRET_FIELD_ANSWERS_KEPT = 1000;

export function isSecretField(name: string): boolean {
  let secret = secretFieldAnswers.get(name);
  if (secret === undefined) {
    secret = SECRET_NAME.test(name.toLowerCase().replace(/[\s_-]/g, ''));
    if (secretFieldAnswers.size < SECRET_FIELD_ANSWERS_KEPT) secretFieldAnswers.set(name, secret);
  }
  return secret;
}

/** The text with every e-mail address in it replaced. */
export function redactText(text: string): string {
  // Most lines hold no address, and the pattern backtracks over every run of word characters
  // (a UUID, a path): a look for the one character an address needs is much cheaper.
  return text.includes('@') || text.includes('%40') ? text.replace(EMAIL, REDACTED) : text;
}

/**
 * Data, not instances of library classes (a socket, a stream): those are left as they are,
 * as walking them would cost more than the line is worth.
 */
function isData(value: object): boolean {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === Object.prototype;
}

function redactField(name: string, value: unknown, ancestors: Set<object>): unknown {
  return isSecretField(name) ? REDACTED : redact(value, ancestors);
}

/**
 * An error of the same class with its message, stack, cause and own fields (a client's request
 * options, say) redacted, so that pino's error serializer still names its type.
 */
function redactError(error: Error, ancestors: Set<object>): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const name of Object.getOwnPropertyNames(error)) {
    const { enumerable } = Object.getOwnPropertyDescriptor(error, name)!;
    const value = redactField(name, (error as unknown as Record<string, unknown>)[name], ancestors);
    Object.defineProperty(copy, name, { value, enumerable, writable: true, configurable: true });
  }
  return copy;
}

/** A copy of the record's own fields, redacted. A `__proto__` field (JSON.parse makes one) stays a field of the copy, not its prototype. */
function redactRecord(record: Record<string, unknown>, ancestors: Set<object>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(record)) {
    const field = redactField(name, record[name], ancestors);
    if (name === '__proto__') Object.defineProperty(copy, name, { value: field, enumerable: true, writable: true, configurable: true });
    else copy[name] = field;
  }
  return copy;
}

function redact(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) return '[Circular]';
  if (!(value instanceof Error) && !Array.isArray(value) && !isData(value)) return value;
  ancestors.add(value);
  const copy =
    value instanceof Error
      ? redactError(value, ancestors)
      : Array.isArray(value)
        ? value.map((item) => redact(item, ancestors))
        : redactRecord(value as Record<string, unknown>, ancestors);
  ancestors.delete(value);
  return copy;
}

/**
 * A copy of `value` in which every field named like a secret (see `isSecretField`), at any
 * depth, reads `[redacted]`, and every e-mail address in a string is replaced. The value itself
 * is not changed.
 */
export function redactSecrets<T>(value: T): T {
  return redact(value, new Set()) as T;
}
