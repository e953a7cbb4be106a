import { createCipheriv, createHash, diffieHellman, generateKeyPairSync, hkdfSync, KeyObject, randomBytes } from 'node:crypto';
import { PAYMENT_METHOD_REF, paymentMethodRefBinding } from '../../../../libs/contracts/payments';
import type { SealedPaymentMethod } from '../application/place-order-saga/order-saga.state';

export interface PaymentMethodSealing {
  /** Payments' X25519 public key; absent where ordering is not hosted. */
  publicKey?: KeyObject;
  /** How long payments may use a sealed payment method. */
  ttlMs: number;
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
}

/**
 * How long one ephemeral key pair seals, and for how many references at most: far below AES-GCM's
 * 2^32 random-nonce bound per key, and a key agreement a minute instead of one per order.
 */
const EPOCH_MS = 60_000;
const EPOCH_SEALS = 1_000_000;

/** An ephemeral key pair's public half and the AES key it agreed with payments' public key. */
interface SealingEpoch {
  ephemeralKey: Buffer;
  key: Buffer;
  startedAt: number;
  sealsLeft: number;
}

/**
 * Seals the payment token of an order for the payments context (the format is AuthorizePaymentV2's):
 * ordering holds only payments' public key, so it cannot open what it stores and sends.
 */
export class PaymentMethodSealer {
  private readonly recipient: Buffer;
  private readonly keyId: string;
  private epoch?: SealingEpoch;

  constructor(
    private readonly publicKey: KeyObject,
    private readonly ttlMs: number,
  ) {
    this.recipient = rawPublicKey(publicKey);
    this.keyId = createHash('sha256').update(this.recipient).digest().subarray(0, 8).toString('base64url');
  }

  static forKey({ publicKey, ttlMs }: PaymentMethodSealing): PaymentMethodSealer {
    // The configuration refuses a process hosting ordering without a key; this guards a wrong wiring.
    if (!publicKey) throw new Error('ordering is hosted without the public key of payment methods (PAYMENT_METHOD_PUBLIC_KEY)');
    return new PaymentMethodSealer(publicKey, ttlMs);
  }

  seal(orderId: string, token: string, now: Date): SealedPaymentMethod {
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    const { ephemeralKey, key } = this.epochAt(now.getTime());
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    cipher.setAAD(Buffer.from(paymentMethodRefBinding(orderId, expiresAt.toISOString())));
    const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    const parts = [ephemeralKey, iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
    return { ref: [PAYMENT_METHOD_REF.format, this.keyId, ...parts].join('.'), expiresAt };
  }

  /**
   * The ephemeral key pair sealing now, made anew each minute or million references. Its private
   * half lives in this process' memory only, where the tokens it seals pass in plain text anyway.
   */
  private epochAt(nowMs: number): SealingEpoch {
    const age = this.epoch === undefined ? -1 : nowMs - this.epoch.startedAt;
    if (this.epoch && this.epoch.sealsLeft > 0 && age >= 0 && age < EPOCH_MS) {
      this.epoch.sealsLeft -= 1;
      return this.epoch;
    }
    const ephemeral = generateKeyPairSync('x25519');
    const ephemeralKey = rawPublicKey(ephemeral.publicKey);
    const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: this.publicKey });
    const key = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralKey, this.recipient]), PAYMENT_METHOD_REF.hkdfInfo, 32));
    this.epoch = { ephemeralKey, key, startedAt: nowMs, sealsLeft: EPOCH_SEALS - 1 };
    return this.epoch;
  }
}
