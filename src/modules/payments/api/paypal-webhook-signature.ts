import { createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { isWithinTolerance, SignatureCheck, signatureMatches, utcTimeOf } from './webhook-signature';

/** PayPal's transmission headers, which its webhook deliveries carry. */
export const PAYPAL_HEADERS = {
  transmissionId: 'paypal-transmission-id',
  transmissionTime: 'paypal-transmission-time',
  transmissionSig: 'paypal-transmission-sig',
  authAlgo: 'paypal-auth-algo',
} as const;

/** The one algorithm verified here: an HMAC keyed by the shared secret, where PayPal itself signs with its certificate (SHA256withRSA). */
export const PAYPAL_AUTH_ALGO = 'HMACSHA256';

/** PayPal's transmission ids are UUIDs; its schema allows up to 50 characters. */
const TRANSMISSION_ID = /^[A-Za-z0-9-]{1,50}$/;
/** Base64 of the 32 bytes of an HMAC-SHA256. */
const SIGNATURE = /^[A-Za-z0-9+/]{43}=$/;

export type PaypalTransmission = Partial<Record<(typeof PAYPAL_HEADERS)[keyof typeof PAYPAL_HEADERS], string>>;

/**
 * Checks a PayPal transmission as PayPal documents it for verifying a webhook yourself: the signed
 * message is `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the raw body, decimal>`,
 * so a signature is bound to its body, its moment and the endpoint's subscription. PayPal signs it
 * with its certificate's private key; here it is the base64 HMAC-SHA256 keyed by the endpoint's
 * secret (docs/decisions/0039). The transmission time must be within `toleranceSeconds` of `now`.
 */
export function checkPaypalSignature(
  transmission: PaypalTransmission,
  rawBody: Buffer,
  secret: string,
  webhookId: string,
  toleranceSeconds: number,
  now = Date.now(),
): SignatureCheck {
  const id = transmission[PAYPAL_HEADERS.transmissionId];
  const time = transmission[PAYPAL_HEADERS.transmissionTime];
  const signature = transmission[PAYPAL_HEADERS.transmissionSig];
  const algo = transmission[PAYPAL_HEADERS.authAlgo];
  if (id === undefined || time === undefined || signature === undefined) {
    return { valid: false, reason: `no ${PAYPAL_HEADERS.transmissionId}, ${PAYPAL_HEADERS.transmissionTime} and ${PAYPAL_HEADERS.transmissionSig} headers` };
  }
  if (algo !== PAYPAL_AUTH_ALGO) return { valid: false, reason: `${PAYPAL_HEADERS.authAlgo} must be ${PAYPAL_AUTH_ALGO}` };
  const sentAt = utcTimeOf(time);
  if (!TRANSMISSION_ID.test(id) || sentAt === undefined || !SIGNATURE.test(signature)) {
    return { valid: false, reason: 'the transmission headers must be an id, an Internet date-time in UTC and a base64 HMAC-SHA256' };
  }
  if (!isWithinTolerance(sentAt, toleranceSeconds, now)) {
    return { valid: false, reason: `the transmission time is more than ${toleranceSeconds} s from now` };
  }
  const expected = createHmac('sha256', secret).update(`${id}|${time}|${webhookId}|${crc32(rawBody)}`).digest();
  return signatureMatches(Buffer.from(signature, 'base64'), expected)
    ? { valid: true }
    : { valid: false, reason: 'the signature does not match the body' };
}
