// Run once by the `split-keys` service of the split profile (docker-compose.yml), as root in a
// Node image, before the services start. Makes, unless the volume already holds them:
//   jwt-private.pem              ES256 key the edge (identity) signs access tokens with;
//   payment-method-private.pem   X25519 key payments opens sealed payment tokens with,
//   payment-method-public.pem    and its public half, which the edge (ordering) seals with;
// then writes Kong's declarative config: the template plus the consumer whose public key the
// gateway verifies access tokens with.
//   node split-keys.cjs <template kong.yml> <output directory> <issuer>
'use strict';
const { createPrivateKey, createPublicKey, generateKeyPairSync } = require('node:crypto');
const { chownSync, existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const [template, directory, issuer] = process.argv.slice(2);
if (!template || !directory || !issuer) {
  process.stderr.write('usage: split-keys.cjs <template kong.yml> <output directory> <issuer>\n');
  process.exit(2);
}
// The image's `node` user, which the services run as: only it may read the private keys.
const NODE_UID = 1000;

/** The private key in `name`, made with `generate` the first time; returns its public half as PEM. */
function keyPair(name, generate) {
  const file = join(directory, name);
  if (!existsSync(file)) {
    writeFileSync(file, generate().privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chownSync(file, NODE_UID, NODE_UID);
  }
  return createPublicKey(createPrivateKey(readFileSync(file))).export({ type: 'spki', format: 'pem' }).toString();
}

const tokenKey = keyPair('jwt-private.pem', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }));
const paymentMethodKey = keyPair('payment-method-private.pem', () => generateKeyPairSync('x25519'));
writeFileSync(join(directory, 'payment-method-public.pem'), paymentMethodKey, { mode: 0o644 });

const indented = tokenKey.trim().split('\n').map((line) => `          ${line}`).join('\n');
const consumer = `
consumers:
  - username: commerce-identity
    jwt_secrets:
      - key: ${JSON.stringify(issuer)}
        algorithm: ES256
        rsa_public_key: |
${indented}
`;
writeFileSync(join(directory, 'kong.yml'), readFileSync(template, 'utf8') + consumer, { mode: 0o644 });
process.stdout.write(`split-keys: keys ready, kong.yml written for issuer ${issuer}\n`);
