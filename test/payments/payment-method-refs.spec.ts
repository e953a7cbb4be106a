import { generateKeyPairSync } from 'node:crypto';
import { PaymentMethodSealer } from '../../src/modules/ordering/infrastructure/payment-method-sealer';
import { PaymentMethodOpener } from '../../src/modules/payments/infrastructure/payment-method-opener';

/** Ordering's half (sealing with payments' public key) against payments' half (opening with its private key). */
describe('Sealed payment methods', () => {
  const ORDER = '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f';
  const OTHER_ORDER = '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e60';
  const TTL_MS = 60_000;
  const placedAt = new Date('2026-01-15T09:30:00.000Z');
  const later = (ms: number): Date => new Date(placedAt.getTime() + ms);
  const keys = generateKeyPairSync('x25519');
  const sealer = new PaymentMethodSealer(keys.publicKey, TTL_MS);
  const opener = new PaymentMethodOpener(keys.privateKey);

  function sealed(orderId = ORDER, token = 'tok_visa'): { sealed: string; expiresAt: string } {
    const { ref, expiresAt } = sealer.seal(orderId, token, placedAt);
    return { sealed: ref, expiresAt: expiresAt.toISOString() };
  }

  it('opens for payments, for its order, until it expires', () => {
    const instrument = sealed(ORDER, 'tok_visa_ünïcødé');

    expect(instrument.expiresAt).toBe('2026-01-15T09:31:00.000Z');
    expect(opener.open(ORDER, instrument, later(1))).toEqual({ kind: 'token', token: 'tok_visa_ünïcødé' });
    expect(opener.open(ORDER, instrument, later(TTL_MS - 1))).toEqual({ kind: 'token', token: 'tok_visa_ünïcødé' });
  });

  it('is declined as expired from its expiry on', () => {
    const instrument = sealed();

    expect(opener.open(ORDER, instrument, later(TTL_MS))).toEqual({ kind: 'expired' });
    expect(opener.open(ORDER, instrument, later(TTL_MS * 10))).toEqual({ kind: 'expired' });
  });

  it('carries neither the token nor a nonce, ciphertext or tag that repeats between references', () => {
    const first = sealed(ORDER, 'tok_chargeDeclined');
    const second = sealed(ORDER, 'tok_chargeDeclined');

    expect(first.sealed).not.toContain('tok_');
    expect(Buffer.from(first.sealed.split('.')[4], 'base64url').toString('latin1')).not.toContain('tok_');
    const [firstParts, secondParts] = [first, second].map(({ sealed: ref }) => ref.split('.').slice(3));
    firstParts.forEach((part, i) => expect(part).not.toBe(secondParts[i]));
  });

  it('seals with a new ephemeral key every minute, and every one opens', () => {
    const sealer = new PaymentMethodSealer(keys.publicKey, TTL_MS);
    const ephemeralKeyOf = (ref: string) => ref.split('.')[2];
    const sealedAt = [0, 59_999, 60_000, 120_000];
    const refs = sealedAt.map((ms) => sealer.seal(ORDER, `tok_${ms}`, later(ms)));

    expect(ephemeralKeyOf(refs[1].ref)).toBe(ephemeralKeyOf(refs[0].ref));
    expect(new Set(refs.slice(1).map(({ ref }) => ephemeralKeyOf(ref))).size).toBe(3);
    refs.forEach(({ ref, expiresAt }, i) =>
      expect(opener.open(ORDER, { sealed: ref, expiresAt: expiresAt.toISOString() }, placedAt)).toEqual({
        kind: 'token',
        token: `tok_${sealedAt[i]}`,
      }),
    );
  });

  it('seals with a new ephemeral key when the clock goes back', () => {
    const sealer = new PaymentMethodSealer(keys.publicKey, TTL_MS);
    const first = sealer.seal(ORDER, 'tok_visa', later(60_000)).ref.split('.')[2];
    const earlier = sealer.seal(ORDER, 'tok_visa', placedAt).ref.split('.')[2];

    expect(earlier).not.toBe(first);
  });

  it('does not open for another order, with a later expiry, or altered', () => {
    const instrument = sealed();
    const parts = instrument.sealed.split('.');
    const flipped = Buffer.from(parts[4], 'base64url');
    flipped[0] ^= 1;
    const altered = [...parts.slice(0, 4), flipped.toString('base64url'), parts[5]].join('.');

    expect(opener.open(OTHER_ORDER, instrument, later(1))).toEqual({ kind: 'unknown', why: expect.stringContaining('does not open') });
    expect(opener.open(ORDER, { ...instrument, expiresAt: later(TTL_MS * 10).toISOString() }, later(TTL_MS))).toMatchObject({ kind: 'unknown' });
    expect(opener.open(ORDER, { ...instrument, sealed: altered }, later(1))).toMatchObject({ kind: 'unknown' });
  });

  it('names the key a reference was sealed for when this process holds another', () => {
    const elsewhere = new PaymentMethodSealer(generateKeyPairSync('x25519').publicKey, TTL_MS).seal(ORDER, 'tok_visa', placedAt);

    expect(opener.open(ORDER, { sealed: elsewhere.ref, expiresAt: elsewhere.expiresAt.toISOString() }, later(1))).toEqual({
      kind: 'unknown',
      why: `it is sealed for key ${elsewhere.ref.split('.')[1]}, and this process holds key ${opener.keyId}`,
    });
  });

  it.each(['', 'tok_visa', 'pmr1.a.b.c.d', 'pmr2.a.b.c.d.e', 'pmr1.!.?.*.&.%', 'pmr1.<key>.!.?.*.&'])(
    'declines %j as unknown rather than failing',
    (ref) => {
      const instrument = { sealed: ref.replace('<key>', opener.keyId), expiresAt: later(TTL_MS).toISOString() };
      expect(opener.open(ORDER, instrument, later(1))).toMatchObject({ kind: 'unknown' });
    },
  );

  it('hands over the token of a request sent before tokens were sealed', () => {
    expect(opener.open(ORDER, { token: 'tok_visa' }, later(1))).toEqual({ kind: 'token', token: 'tok_visa' });
  });
});
