// Run once by the `gateway-config` service of the split profile (docker-compose.yml), as root in
// the service image: makes the split's access-token signing key unless the volume already holds
// one, and writes Kong's declarative config, the template next to this file plus the consumer
// whose ES256 public key the gateway verifies tokens with.
//   node gateway-config.cjs <template kong.yml> <output directory> <issuer>
'use strict';
const { createPrivateKey, createPublicKey, generateKeyPairSync } = require('node:crypto');
const { chownSync, existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const [template, directory, issuer] = process.argv.slice(2);
if (!template || !directory || !issuer) {
  process.stderr.write('usage: gateway-config.cjs <template kong.yml> <output directory> <issuer>\n');
  process.exit(2);
}
// The image's `node` user, which the services run as: only it may read the private key.
const NODE_UID = 1000;
const keyFile = join(directory, 'jwt-private.pem');
if (!existsSync(keyFile)) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chownSync(keyFile, NODE_UID, NODE_UID);
}
const publicPem = createPublicKey(createPrivateKey(readFileSync(keyFile))).export({ type: 'spki', format: 'pem' }).toString();
const indented = publicPem.trim().split('\n').map((line) => `          ${line}`).join('\n');
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
process.stdout.write(`gateway-config: kong.yml written for issuer ${issuer}\n`);
