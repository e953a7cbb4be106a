import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { createSiweMessage, type CreateSiweMessageParameters } from 'viem/siwe';
import type { Session } from './auth';
import type { TestApp } from './test-app';
import { TEST_ENV } from './test-env';

/** Base, on the default allowlist. */
export const SIGN_IN_CHAIN_ID = 8453;

export interface SignedMessage {
  message: string;
  signature: `0x${string}`;
}

/** An externally owned account with a key of its own, as a wallet app holds one. */
export function newWallet(): PrivateKeyAccount {
  return privateKeyToAccount(generatePrivateKey());
}

export async function walletNonce(app: TestApp): Promise<string> {
  const { body } = await app.http().get('/api/v1/auth/wallet/nonce').expect(200);
  return body.nonce;
}

/**
 * The EIP-4361 message a wallet app makes for the suites' domain, with a fresh nonce of the app's
 * unless `fields` brings one, signed by `signer` (the wallet itself unless said otherwise).
 */
export async function signedSignIn(
  app: TestApp,
  wallet: PrivateKeyAccount,
  fields: Partial<CreateSiweMessageParameters> = {},
  signer: PrivateKeyAccount = wallet,
): Promise<SignedMessage> {
  const message = createSiweMessage({
    domain: TEST_ENV.SIWE_DOMAIN,
    address: wallet.address,
    statement: 'Sign in to the shop.',
    uri: `https://${TEST_ENV.SIWE_DOMAIN}/account`,
    version: '1',
    chainId: SIGN_IN_CHAIN_ID,
    issuedAt: new Date(),
    ...fields,
    nonce: fields.nonce ?? (await walletNonce(app)),
  });
  return { message, signature: await signer.signMessage({ message }) };
}

/** Signs in with the wallet: its account's session, the account made if the wallet is new. */
export async function walletSession(app: TestApp, wallet: PrivateKeyAccount): Promise<Session> {
  const { body } = await app.http().post('/api/v1/auth/wallet/verify').send(await signedSignIn(app, wallet)).expect(200);
  return body;
}
