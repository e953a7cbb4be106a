import { createDecipheriv, createHash, createPublicKey, diffieHellman, hkdfSync, KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { PAYMENT_METHOD_REF, paymentMethodRefBinding } from '../../../../libs/contracts/payments';
import type { PaymentInstrument } from '../application/authorize-payment/authorize-payment.command';

export type OpenedPaymentMethod = { kind: 'token'; token: string } | { kind: 'expired' } | { kind: 'unknown'; why: string };

export interface PaymentMethodKey {
  /** The X25519 key ordering seals payment tokens for; absent where payments is not hosted. */
  privateKey?: KeyObject;
  /** No key was configured, so this one was made at start: references sealed before a restart no longer open. */
  keyMadeAtStart: boolean;
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
}

function unknown(why: string): OpenedPaymentMethod {
  return { kind: 'unknown', why };
}

/**
 * Opens the payment methods sealed for payments (the format is AuthorizePaymentV2's) with its
 * private key. The token exists only in memory, for the provider call it is opened for.
 */
export class PaymentMethodOpener {
  readonly keyId: string;
  private readonly publicKey: Buffer;
  /** The AES key agreed with each recent ephemeral key: ordering seals with one a minute per process. */
  private readonly agreed = new LRUCache<string, Buffer>({ max: 256 });

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = rawPublicKey(createPublicKey(privateKey));
    this.keyId = createHash('sha256').update(this.publicKey).digest().subarray(0, 8).toString('base64url');
  }

  static forKey({ privateKey, keyMadeAtStart }: PaymentMethodKey): PaymentMethodOpener {
    // The configuration refuses a process hosting payments without a key; this guards a wrong wiring.
    if (!privateKey) throw new Error('payments is hosted without the private key of payment methods (PAYMENT_METHOD_PRIVATE_KEY)');
    // The zero-configuration default, documented with the setting like JWT_PRIVATE_KEY's: said at debug
    // level, so a start stays a few lines.
    if (keyMadeAtStart) {
      new Logger(PaymentMethodOpener.name).debug(
        'PAYMENT_METHOD_PRIVATE_KEY is not set: payment methods are sealed with a key made at this start, so an order ' +
          'placed before a restart and not yet authorized is declined (payment_method_unknown). Set it to keep them.',
      );
    }
    return new PaymentMethodOpener(privateKey);
  }

  /** The provider token of the order's instrument, unless its reference expired or does not open here. */
  open(orderId: string, instrument: PaymentInstrument, now: Date): OpenedPaymentMethod {
    if ('token' in instrument) return { kind: 'token', token: instrument.token };
    const parts = instrument.sealed.split('.');
    if (parts.length !== 6 || parts[0] !== PAYMENT_METHOD_REF.format) return unknown('it is not a sealed payment method');
    const [, keyId, ephemeralKey, iv, ciphertext, tag] = parts;
    if (keyId !== this.keyId) return unknown(`it is sealed for key ${keyId}, and this process holds key ${this.keyId}`);
    let token: string;
    try {
      const key = this.keyAgreedWith(ephemeralKey);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(paymentMethodRefBinding(orderId, instrument.expiresAt)));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      token = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return unknown('it does not open: altered, or sealed for another order or expiry');
    }
    // It opened, so the expiry is the one it was sealed with.
    if (!(Date.parse(instrument.expiresAt) > now.getTime())) return { kind: 'expired' };
    return { kind: 'token', token };
  }

  private keyAgreedWith(ephemeralKey: string): Buffer {
    const known = this.agreed.get(ephemeralKey);
    if (known) return known;
    const ephemeral = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephemeralKey }, format: 'jwk' });
    const shared = diffieHellman({ privateKey: this.privateKey, publicKey: ephemeral });
    const salt = Buffer.concat([rawPublicKey(ephemeral), this.publicKey]);
    const key = Buffer.from(hkdfSync('sha256', shared, salt, PAYMENT_METHOD_REF.hkdfInfo, 32));
    this.agreed.set(ephemeralKey, key);
    return key;
  }
}
