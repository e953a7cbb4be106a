import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '../../libs/auth';
import { loadConfig } from '../../src/config/app-config';

/** docker/split-keys.cjs, as the split profile of docker-compose.yml runs it before the services. */
describe('the keys of the compose split', () => {
  const directory = mkdtempSync(join(tmpdir(), 'split-keys-'));
  const run = (): string => execFileSync(process.execPath, ['docker/split-keys.cjs', 'docker/kong/kong.yml', directory, 'commerce-core'], { encoding: 'utf8' });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('makes keys the services accept through their _FILE settings, and a Kong config that verifies the tokens', () => {
    run();
    const keys = { JWT_PRIVATE_KEY_FILE: join(directory, 'jwt-private.pem') };
    const edge = loadConfig({
      ...keys,
      MODULES: 'ordering,catalog,notifications,identity',
      KAFKA_BROKERS: 'kafka:19092',
      PAYMENT_METHOD_PUBLIC_KEY_FILE: join(directory, 'payment-method-public.pem'),
    });
    const payments = loadConfig({
      MODULES: 'payments',
      KAFKA_BROKERS: 'kafka:19092',
      JWKS_URL: 'http://edge:3000/.well-known/jwks.json',
      PAYMENT_METHOD_PRIVATE_KEY_FILE: join(directory, 'payment-method-private.pem'),
    });
    // Ordering seals with the public half of the key payments opens with.
    expect(createPublicKey(payments.paymentMethodRefs.privateKey!).equals(edge.paymentMethodRefs.publicKey!)).toBe(true);
    // Kong's consumer holds the public half of the key identity signs with, under the issuer.
    const signing = SigningKey.fromPem(edge.auth.privateKeyPem);
    const publicPem = createPublicKey(signing.privateKey).export({ type: 'spki', format: 'pem' }).toString().trim();
    const consumer = `- key: "commerce-core"\n        algorithm: ES256\n        rsa_public_key: |\n${publicPem.split('\n').map((line) => `          ${line}`).join('\n')}`;
    expect(readFileSync(join(directory, 'kong.yml'), 'utf8')).toContain(consumer);
    expect(statSync(join(directory, 'jwt-private.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(directory, 'payment-method-private.pem')).mode & 0o777).toBe(0o600);
  });

  it('keeps the keys it made on a second run, so tokens and sealed payment tokens survive a restart', () => {
    const before = readFileSync(join(directory, 'jwt-private.pem'), 'utf8') + readFileSync(join(directory, 'payment-method-private.pem'), 'utf8');
    run();
    const after = readFileSync(join(directory, 'jwt-private.pem'), 'utf8') + readFileSync(join(directory, 'payment-method-private.pem'), 'utf8');
    expect(after).toBe(before);
  });
});
