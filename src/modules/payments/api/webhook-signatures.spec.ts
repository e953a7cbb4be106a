import { createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { checkCryptoSignature } from './crypto-webhook-signature';
import { checkPaypalSignature } from './paypal-webhook-signature';

const SECRET = 'a-shared-secret-of-at-least-32-characters';
const NOW = Date.parse('2026-12-02T10:31:27Z');
const BODY = Buffer.from('{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"2GG279541U471931P"}}');

describe(checkPaypalSignature.name, () => {
  const transmission = (time = '2026-12-02T10:31:00Z', webhookId = 'WH8PT597110X687430', secret = SECRET) => ({
    'paypal-transmission-id': '69cd13f0-d67a-11e5-baa3-778b53f4ae55',
    'paypal-transmission-time': time,
    // PayPal's documented message, written out here rather than taken from the code under test.
    'paypal-transmission-sig': createHmac('sha256', secret)
      .update(`69cd13f0-d67a-11e5-baa3-778b53f4ae55|${time}|${webhookId}|${crc32(BODY)}`)
      .digest('base64'),
    'paypal-auth-algo': 'HMACSHA256',
  });
  const check = (headers: Record<string, string>, body = BODY) => checkPaypalSignature(headers, body, SECRET, 'WH8PT597110X687430', 300, NOW);

  it('accepts the HMAC of "<transmission id>|<time>|<webhook id>|<CRC32 of the body>" sent within the tolerance', () => {
    expect(check(transmission())).toEqual({ valid: true });
    expect(check(transmission('2026-12-02T10:26:27.5Z'))).toEqual({ valid: true });
  });

  it('refuses another body, webhook id or secret, a time out of tolerance either way, and a certificate signature', () => {
    const refusal = (headers: Record<string, string>, body = BODY) => (check(headers, body) as { reason: string }).reason;
    expect(refusal(transmission(), Buffer.from(`${BODY.toString()} `))).toBe('the signature does not match the body');
    expect(refusal(transmission(undefined, 'WHOTHER'))).toBe('the signature does not match the body');
    expect(refusal(transmission(undefined, undefined, `${SECRET}x`))).toBe('the signature does not match the body');
    expect(refusal(transmission('2026-12-02T10:26:26Z'))).toBe('the transmission time is more than 300 s from now');
    expect(refusal(transmission('2026-12-02T10:36:28Z'))).toBe('the transmission time is more than 300 s from now');
    expect(refusal({ ...transmission(), 'paypal-auth-algo': 'SHA256withRSA' })).toBe('paypal-auth-algo must be HMACSHA256');
    expect(refusal({ ...transmission(), 'paypal-transmission-time': '2026-12-02 10:31:00' })).toMatch(/^the transmission headers must be/);
    const { 'paypal-transmission-sig': _signature, ...unsigned } = transmission();
    expect(refusal(unsigned)).toMatch(/^no paypal-transmission-id/);
  });
});

describe(checkCryptoSignature.name, () => {
  const delivery = (scheduledFor: string) => Buffer.from(`{"id":"d1","scheduled_for":"${scheduledFor}","attempt_number":1,"event":{}}`);
  const check = (raw: Buffer, signature = createHmac('sha256', SECRET).update(raw).digest('hex')) =>
    checkCryptoSignature(signature, raw, JSON.parse(raw.toString()), SECRET, 300, NOW);

  it('accepts the hex HMAC of the raw body when the delivery was scheduled within the tolerance', () => {
    expect(check(delivery('2026-12-02T10:31:20Z'))).toEqual({ valid: true });
  });

  it('refuses another signature, a delivery scheduled out of tolerance either way, and one without its time', () => {
    const raw = delivery('2026-12-02T10:31:20Z');
    expect(check(raw, createHmac('sha256', `${SECRET}x`).update(raw).digest('hex'))).toEqual({ valid: false, reason: 'the signature does not match the body' });
    expect(check(raw, 'ABC')).toMatchObject({ valid: false });
    expect(check(delivery('2026-12-02T10:26:26Z'))).toEqual({ valid: false, reason: "the delivery's scheduled_for is more than 300 s from now" });
    expect(check(delivery('2026-12-02T10:36:28Z'))).toMatchObject({ valid: false });
    expect(check(Buffer.from('{"event":{}}'))).toEqual({ valid: false, reason: 'the delivery has no scheduled_for time' });
  });
});
