import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import type { ContextName } from '../../libs/contracts/message';

/**
 * The X25519 key pair that payment tokens are sealed with (where ordering runs) and opened with
 * (where payments runs), and how long a sealed token may be used (docs/decisions/0022).
 */
export interface PaymentMethodRefsConfig {
  publicKey?: KeyObject;
  privateKey?: KeyObject;
  /** Neither key was set and this process hosts both contexts: a pair made at start, gone with the process. */
  keyMadeAtStart: boolean;
  ttlMs: number;
}

interface EnvReading {
  readonly problems: string[];
  optional(name: string): string | undefined;
  pem(name: string): string | undefined;
}

const MAKE_ONE = 'openssl genpkey -algorithm X25519';

function keyOf(read: EnvReading, name: string, parse: (pem: string) => KeyObject): KeyObject | undefined {
  const pem = read.pem(name);
  if (pem === undefined) return undefined;
  try {
    const key = parse(pem);
    if (key.asymmetricKeyType === 'x25519') return key;
  } catch {
    // reported below
  }
  read.problems.push(`${name} must be a PEM X25519 key (${MAKE_ONE}${name.endsWith('PUBLIC_KEY') ? ' | openssl pkey -pubout' : ''})`);
  return undefined;
}

export function paymentMethodRefsOf(read: EnvReading, modules: readonly ContextName[], ttlMs: number): PaymentMethodRefsConfig {
  const sealing = modules.includes('ordering');
  const opening = modules.includes('payments');
  const privateKey = keyOf(read, 'PAYMENT_METHOD_PRIVATE_KEY', createPrivateKey);
  const publicKey = keyOf(read, 'PAYMENT_METHOD_PUBLIC_KEY', createPublicKey);
  const given = (name: string): boolean => read.optional(name) !== undefined || read.optional(`${name}_FILE`) !== undefined;
  if (privateKey && publicKey && !publicKey.equals(createPublicKey(privateKey))) {
    read.problems.push('PAYMENT_METHOD_PUBLIC_KEY is not the public half of PAYMENT_METHOD_PRIVATE_KEY');
  }
  if (sealing && opening && !given('PAYMENT_METHOD_PRIVATE_KEY') && !given('PAYMENT_METHOD_PUBLIC_KEY')) {
    return { ...generateKeyPairSync('x25519'), keyMadeAtStart: true, ttlMs };
  }
  const elsewhere = (context: ContextName): string => `MODULES=${modules.join(',')} leaves ${context} to another process`;
  if (opening && !given('PAYMENT_METHOD_PRIVATE_KEY')) {
    read.problems.push(
      sealing
        ? `PAYMENT_METHOD_PUBLIC_KEY is set, so PAYMENT_METHOD_PRIVATE_KEY must be too: payments runs here (${MAKE_ONE})`
        : `${elsewhere('ordering')}, so PAYMENT_METHOD_PRIVATE_KEY must be set: ordering seals payment tokens for its public half (${MAKE_ONE})`,
    );
  }
  if (sealing && !opening && !given('PAYMENT_METHOD_PRIVATE_KEY') && !given('PAYMENT_METHOD_PUBLIC_KEY')) {
    read.problems.push(`${elsewhere('payments')}, so PAYMENT_METHOD_PUBLIC_KEY must be set: the public half of payments' PAYMENT_METHOD_PRIVATE_KEY`);
  }
  return {
    publicKey: sealing ? (publicKey ?? (privateKey && createPublicKey(privateKey))) : undefined,
    privateKey: opening ? privateKey : undefined,
    keyMadeAtStart: false,
    ttlMs,
  };
}
