import { createHmac } from 'node:crypto';
import { isWithinTolerance, SignatureCheck, signatureMatches, utcTimeOf } from './webhook-signature';

/** Coinbase Commerce's signature header, which the crypto provider's deliveries carry. */
export const CRYPTO_SIGNATURE_HEADER = 'x-cc-webhook-signature';

/**
 * Checks a Coinbase-Commerce-like delivery: the header is the hex HMAC-SHA256 of the raw body keyed
 * by the endpoint's secret, compared in constant time. That signature has no timestamp of its own;
 * the body does: each delivery wraps its event with its `scheduled_for` time, which the signature
 * covers, and which must be within `toleranceSeconds` of `now`, so a captured delivery cannot be
 * replayed later. `body` is the parsed raw body.
 */
export function checkCryptoSignature(
  header: string | undefined,
  rawBody: Buffer,
  body: unknown,
  secret: string,
  toleranceSeconds: number,
  now = Date.now(),
): SignatureCheck {
  if (header === undefined || !/^[0-9a-f]{64}$/.test(header)) {
    return { valid: false, reason: `${CRYPTO_SIGNATURE_HEADER} must be the hex HMAC-SHA256 of the body` };
  }
  if (!signatureMatches(Buffer.from(header, 'hex'), createHmac('sha256', secret).update(rawBody).digest())) {
    return { valid: false, reason: 'the signature does not match the body' };
  }
  const scheduledFor = utcTimeOf(typeof body === 'object' && body !== null ? (body as { scheduled_for?: unknown }).scheduled_for : undefined);
  if (scheduledFor === undefined) return { valid: false, reason: 'the delivery has no scheduled_for time' };
  if (!isWithinTolerance(scheduledFor, toleranceSeconds, now)) {
    return { valid: false, reason: `the delivery's scheduled_for is more than ${toleranceSeconds} s from now` };
  }
  return { valid: true };
}
