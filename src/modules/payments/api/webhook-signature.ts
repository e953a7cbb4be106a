import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the card provider signs its webhook deliveries in (docs/providers-simulator.md), as Stripe's `Stripe-Signature`. */
export const SIGNATURE_HEADER = 'simulator-signature';

/** Longer than any signature header a provider sends (`t=` ten digits, `v1=` 64 hex digits, a few schemes). */
export const MAX_HEADER_LENGTH = 1024;

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/** An Internet date-time in UTC (`2026-12-02T10:31:27Z`, fractions allowed), in milliseconds; undefined when it is not one. */
export function utcTimeOf(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** Whether a signed time, in milliseconds, is within `toleranceSeconds` of `now`: older or further ahead, a delivery may be a replay. */
export function isWithinTolerance(signedAtMs: number, toleranceSeconds: number, now: number): boolean {
  return Math.abs(now - signedAtMs) <= toleranceSeconds * 1000;
}

/** Compares a signature with the expected HMAC in constant time; a signature of another length never matches. */
export function signatureMatches(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Checks `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` as Stripe's libraries do: the
 * timestamp within `toleranceSeconds` of `now` (so a captured delivery cannot be replayed later),
 * and any `v1` equal, in constant time, to the HMAC of the raw body keyed by `secret`.
 */
export function checkSignature(
  header: string | undefined,
  rawBody: Buffer,
  secret: string,
  toleranceSeconds: number,
  now = Date.now(),
): SignatureCheck {
  if (header === undefined || header.length > MAX_HEADER_LENGTH) return { valid: false, reason: `no ${SIGNATURE_HEADER} header` };
  const pairs = header.split(',').map((pair) => pair.trim().split('='));
  const timestamps = pairs.filter(([key, value]) => key === 't' && /^\d{1,12}$/.test(value ?? ''));
  const signatures = pairs.filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')).map(([, value]) => value);
  if (timestamps.length !== 1 || signatures.length === 0) {
    return { valid: false, reason: `${SIGNATURE_HEADER} must be t=<unix seconds>,v1=<hex HMAC-SHA256>` };
  }
  const timestamp = timestamps[0][1];
  if (!isWithinTolerance(Number(timestamp) * 1000, toleranceSeconds, now)) {
    return { valid: false, reason: `the signature's timestamp is more than ${toleranceSeconds} s from now` };
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const matches = signatures.some((signature) => signatureMatches(Buffer.from(signature, 'hex'), expected));
  return matches ? { valid: true } : { valid: false, reason: 'the signature does not match the body' };
}
