/**
 * How a provider token is sealed for the payments context into a `paymentMethodRef`
 * (AuthorizePaymentV2), so that it rests nowhere in plain text: not in the sender's tables, the
 * outbox, Kafka or dead letters (docs/decisions/0022-payment-token-references.md).
 *
 * `pmr1.<kid>.<epk>.<iv>.<ciphertext>.<tag>`, each part base64url:
 * - `kid`: the first 8 bytes of SHA-256 of the raw 32-byte X25519 public key of payments it is sealed for;
 * - `epk`: the raw public key of an ephemeral key pair of the sender's; a sender may seal several
 *   references with one pair (ours makes a new one each minute), each with its own random `iv`;
 * - the token (UTF-8) encrypted with AES-256-GCM (12-byte `iv`, 16-byte `tag`) under the key
 *   HKDF-SHA256(X25519(epk's private key, payments' public key), salt = epk ‖ payments' public key,
 *   info = `hkdfInfo`, 32 bytes), with `paymentMethodRefBinding(orderId, expiresAt)` as additional
 *   data: a reference opens only for its own order and with its own expiry.
 */
export const PAYMENT_METHOD_REF = { format: 'pmr1', hkdfInfo: 'commerce payment method ref v1' } as const;

/** The additional authenticated data of a `paymentMethodRef`. */
export function paymentMethodRefBinding(orderId: string, expiresAt: string): string {
  return `${PAYMENT_METHOD_REF.format}|${orderId}|${expiresAt}`;
}
