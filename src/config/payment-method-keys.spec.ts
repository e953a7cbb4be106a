import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { CONTEXT_NAMES, ContextName } from '../../libs/contracts/message';
import { EnvReader } from './app-config';
import { paymentMethodRefsOf } from './payment-method-keys';

const TTL_MS = 900_000;

function pemPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

function read(env: Record<string, string>, modules: readonly ContextName[] = CONTEXT_NAMES) {
  const reader = new EnvReader(env);
  return { config: paymentMethodRefsOf(reader, modules, TTL_MS), problems: reader.problems };
}

describe(paymentMethodRefsOf.name, () => {
  it('makes a key pair at start for a process that hosts ordering and payments and was given none', () => {
    const { config, problems } = read({});

    expect(problems).toEqual([]);
    expect(config).toMatchObject({ keyMadeAtStart: true, ttlMs: TTL_MS });
    expect(config.privateKey?.asymmetricKeyType).toBe('x25519');
    expect(config.publicKey?.equals(createPublicKey(config.privateKey!))).toBe(true);
  });

  it('seals and opens with the configured private key, its line breaks escaped or not', () => {
    const { privatePem } = pemPair();
    for (const pem of [privatePem, privatePem.replace(/\n/g, '\\n')]) {
      const { config, problems } = read({ PAYMENT_METHOD_PRIVATE_KEY: pem });

      expect(problems).toEqual([]);
      expect(config.keyMadeAtStart).toBe(false);
      expect(config.privateKey?.export({ format: 'pem', type: 'pkcs8' })).toBe(privatePem);
      expect(config.publicKey?.equals(createPublicKey(config.privateKey!))).toBe(true);
    }
  });

  it('gives each process of a split the half it needs', () => {
    const { privatePem, publicPem } = pemPair();

    const edge = read({ PAYMENT_METHOD_PUBLIC_KEY: publicPem }, ['ordering', 'catalog']);
    expect(edge.problems).toEqual([]);
    expect(edge.config.privateKey).toBeUndefined();
    expect(edge.config.publicKey?.export({ format: 'pem', type: 'spki' })).toBe(publicPem);

    const payments = read({ PAYMENT_METHOD_PRIVATE_KEY: privatePem }, ['payments']);
    expect(payments.problems).toEqual([]);
    expect(payments.config.publicKey).toBeUndefined();
    expect(payments.config.privateKey?.export({ format: 'pem', type: 'pkcs8' })).toBe(privatePem);

    expect(read({}, ['inventory']).problems).toEqual([]);
  });

  it('refuses a split whose processes could not agree on a key', () => {
    expect(read({}, ['ordering', 'catalog']).problems).toEqual([
      "MODULES=ordering,catalog leaves payments to another process, so PAYMENT_METHOD_PUBLIC_KEY must be set: the public half of payments' PAYMENT_METHOD_PRIVATE_KEY",
    ]);
    expect(read({}, ['payments']).problems).toEqual([
      'MODULES=payments leaves ordering to another process, so PAYMENT_METHOD_PRIVATE_KEY must be set: ordering seals payment tokens for its public half (openssl genpkey -algorithm X25519)',
    ]);
    expect(read({ PAYMENT_METHOD_PUBLIC_KEY: pemPair().publicPem }).problems).toEqual([
      'PAYMENT_METHOD_PUBLIC_KEY is set, so PAYMENT_METHOD_PRIVATE_KEY must be too: payments runs here (openssl genpkey -algorithm X25519)',
    ]);
  });

  it('refuses halves of different pairs, and keys that are not X25519', () => {
    expect(read({ PAYMENT_METHOD_PRIVATE_KEY: pemPair().privatePem, PAYMENT_METHOD_PUBLIC_KEY: pemPair().publicPem }).problems).toEqual([
      'PAYMENT_METHOD_PUBLIC_KEY is not the public half of PAYMENT_METHOD_PRIVATE_KEY',
    ]);
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(read({ PAYMENT_METHOD_PRIVATE_KEY: ed25519 }).problems).toEqual([
      'PAYMENT_METHOD_PRIVATE_KEY must be a PEM X25519 key (openssl genpkey -algorithm X25519)',
    ]);
    expect(read({ PAYMENT_METHOD_PUBLIC_KEY: 'not a key' }, ['ordering']).problems).toEqual([
      'PAYMENT_METHOD_PUBLIC_KEY must be a PEM X25519 key (openssl genpkey -algorithm X25519 | openssl pkey -pubout)',
    ]);
  });
});
