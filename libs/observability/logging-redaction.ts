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

export function isSecretField(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[\s_-]/g, ''));
}

/** The text with every e-mail address in it replaced. */
export function redactText(text: string): string {
  return text.replace(EMAIL, REDACTED);
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
        : Object.fromEntries(Object.entries(value).map(([name, field]) => [name, redactField(name, field, ancestors)]));
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
