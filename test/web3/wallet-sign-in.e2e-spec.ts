import { randomBytes } from 'node:crypto';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { Response } from 'supertest';
import { MAX_JSON_DEPTH } from '../../libs/http';
import { newCustomer, withToken } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { newWallet, SignedMessage, signedSignIn, walletNonce, walletSession } from '../support/wallet';

const MINUTE_MS = 60_000;

/** Every row a sign-in or a link could write. A refusal must leave them as they were. */
const STATE = `SELECT (SELECT count(*)::int FROM identity.user) AS users,
                      (SELECT count(*)::int FROM identity.wallet) AS wallets,
                      (SELECT count(*)::int FROM identity.refresh_token) AS sessions,
                      (SELECT count(*)::int FROM identity.wallet_nonce WHERE used_at IS NOT NULL) AS used_nonces`;

describe('identity: Sign-In with Ethereum (EIP-4361)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(() => app.close());

  const verify = (body: unknown) => app.http().post('/api/v1/auth/wallet/verify').send(body as object);
  const accountOf = async (accessToken: string): Promise<{ id: string; email?: string }> =>
    (await withToken(app.http(), accessToken).get('/api/v1/users/me').expect(200)).body;
  const state = async () => (await app.sql(STATE))[0];

  /** Sends `signed` and expects the refusal a wrong password gets, with nothing written. */
  async function expectRefused(signed: SignedMessage, reason: RegExp): Promise<void> {
    const before = await state();
    const refused = await verify(signed);
    expectUnauthenticated(refused, reason);
    expect(await state()).toEqual(before);
  }

  function expectUnauthenticated(refused: Response, reason: RegExp): void {
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="commerce"');
    expect(refused.body.detail).toMatch(reason);
    expect(refused.body).not.toHaveProperty('accessToken');
  }

  describe('the nonce', () => {
    it('is random, alphanumeric, at least 16 characters, expires after the configured time, and is never cached', async () => {
      const answer = await app.http().get('/api/v1/auth/wallet/nonce').expect(200);
      const other = await walletNonce(app);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.body.nonce).toMatch(/^[a-zA-Z0-9]{16,}$/);
      expect(other).not.toBe(answer.body.nonce);
      const expiresInMs = new Date(answer.body.expiresAt).getTime() - Date.now();
      expect(expiresInMs).toBeGreaterThan(4 * MINUTE_MS);
      expect(expiresInMs).toBeLessThanOrEqual(5 * MINUTE_MS);
    });
  });

  describe('signing in', () => {
    it('gives a new wallet a customer account without email, and the session a password login gives', async () => {
      const wallet = newWallet();
      const answer = await verify(await signedSignIn(app, wallet)).expect(200);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
      const account = await accountOf(answer.body.accessToken);
      expect(account).toEqual({ id: expect.any(String), roles: ['customer'], createdAt: expect.any(String) });
      const { body: wallets } = await withToken(app.http(), answer.body.accessToken).get('/api/v1/auth/wallet').expect(200);
      expect(wallets).toEqual([{ address: wallet.address, linkedAt: expect.any(String) }]);
      // The refresh token is a password login's: it rotates.
      await app.http().post('/api/v1/auth/refresh').send({ refreshToken: answer.body.refreshToken }).expect(200);
      // UserRegistered gives other contexts an address to write to; this account has none.
      const published = await app.sql("SELECT 1 FROM messaging.outbox WHERE type = 'identity.user.registered' AND aggregate_id = $1", [account.id]);
      expect(published).toEqual([]);
    });

    it('signs the same wallet in to the same account again, whatever the case of its address in the message', async () => {
      const wallet = newWallet();
      const first = await accountOf((await walletSession(app, wallet)).accessToken);
      const again = await accountOf((await walletSession(app, wallet)).accessToken);
      const lowerCase = await signedSignIn(app, wallet, { address: wallet.address.toLowerCase() as `0x${string}` });
      const { body } = await verify(lowerCase).expect(200);
      expect(again.id).toBe(first.id);
      expect((await accountOf(body.accessToken)).id).toBe(first.id);
      const stored = await app.sql<{ address: string }>('SELECT address FROM identity.wallet WHERE user_id = $1', [first.id]);
      expect(stored).toEqual([{ address: wallet.address.toLowerCase() }]);
    });

    it('uses the nonce once: the same message sent twice at once signs in once', async () => {
      const signed = await signedSignIn(app, newWallet());
      const answers = await Promise.all([verify(signed), verify(signed)]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    });

    it('makes one account of a new wallet signing in twice at once', async () => {
      const wallet = newWallet();
      const messages = await Promise.all([signedSignIn(app, wallet), signedSignIn(app, wallet)]);
      const answers = await Promise.all(messages.map((signed) => verify(signed).expect(200)));
      const accounts = await Promise.all(answers.map((answer) => accountOf(answer.body.accessToken)));
      expect(accounts[1].id).toBe(accounts[0].id);
    });
  });

  describe('refusals (401, nothing written)', () => {
    it('refuses a replayed message', async () => {
      const signed = await signedSignIn(app, newWallet());
      await verify(signed).expect(200);
      await expectRefused(signed, /nonce is unknown, used or expired/);
    });

    it('refuses a nonce used already by another message', async () => {
      const first = await signedSignIn(app, newWallet());
      await verify(first).expect(200);
      const nonce = /Nonce: (\w+)/.exec(first.message)![1];
      await expectRefused(await signedSignIn(app, newWallet(), { nonce }), /nonce is unknown, used or expired/);
    });

    it('refuses a nonce it never issued', async () => {
      await expectRefused(await signedSignIn(app, newWallet(), { nonce: randomBytes(16).toString('hex') }), /nonce is unknown, used or expired/);
    });

    it('refuses an expired nonce, and leaves it unused', async () => {
      const nonce = await walletNonce(app);
      await app.sql("UPDATE identity.wallet_nonce SET expires_at = now() - interval '1 second' WHERE nonce = $1", [nonce]);
      await expectRefused(await signedSignIn(app, newWallet(), { nonce }), /nonce is unknown, used or expired/);
    });

    it('refuses a message for another domain, or with a URI on another', async () => {
      await expectRefused(await signedSignIn(app, newWallet(), { domain: 'evil.example', uri: 'https://evil.example/' }), /another domain/);
      await expectRefused(await signedSignIn(app, newWallet(), { uri: 'https://evil.example/' }), /URI is not on this domain/);
    });

    it('refuses a chain not on the allowlist', async () => {
      // Optimism: a real chain, not among SIWE_ALLOWED_CHAIN_IDS' defaults.
      await expectRefused(await signedSignIn(app, newWallet(), { chainId: 10 }), /chain is not accepted/);
    });

    it('refuses a signature by another key, and leaves the nonce for the wallet to use', async () => {
      const wallet = newWallet();
      const forged = await signedSignIn(app, wallet, {}, newWallet());
      await expectRefused(forged, /not signed by its address/);
      const nonce = /Nonce: (\w+)/.exec(forged.message)![1];
      await verify(await signedSignIn(app, wallet, { nonce })).expect(200);
    });

    it('refuses a signature that is no signature at all', async () => {
      const signed = await signedSignIn(app, newWallet());
      await expectRefused({ ...signed, signature: `0x${'00'.repeat(65)}` }, /not signed by its address/);
    });

    it('refuses an expired message, one not valid yet, and one issued in the future', async () => {
      const now = Date.now();
      const expired = { issuedAt: new Date(now - 10 * MINUTE_MS), expirationTime: new Date(now - MINUTE_MS) };
      await expectRefused(await signedSignIn(app, newWallet(), expired), /expired or is not valid yet/);
      await expectRefused(await signedSignIn(app, newWallet(), { notBefore: new Date(now + 10 * MINUTE_MS) }), /expired or is not valid yet/);
      await expectRefused(await signedSignIn(app, newWallet(), { issuedAt: new Date(now + 10 * MINUTE_MS) }), /in the future/);
    });

    it('refuses a signed text that is no EIP-4361 message', async () => {
      const wallet = newWallet();
      const message = `Please sign in.\nNonce: ${await walletNonce(app)}`;
      await expectRefused({ message, signature: await wallet.signMessage({ message }) }, /not an EIP-4361 message/);
    });

    it('accepts a message still within its validity period', async () => {
      const now = Date.now();
      const window = { issuedAt: new Date(now - MINUTE_MS), notBefore: new Date(now - MINUTE_MS), expirationTime: new Date(now + MINUTE_MS) };
      await verify(await signedSignIn(app, newWallet(), window)).expect(200);
    });
  });

  describe('malformed input (400 or 413, before any parsing)', () => {
    it.each([
      ['a message that is not a string', { message: 42 }, 'message'],
      ['a message over 4 KiB', { message: 'x'.repeat(4097) }, 'message'],
      ['no message', { message: undefined }, 'message'],
      ['a signature without 0x', { signature: 'ab'.repeat(65) }, 'signature'],
      ['a signature of 64 bytes', { signature: `0x${'ab'.repeat(64)}` }, 'signature'],
      ['a signature that is not hex', { signature: `0x${'zz'.repeat(65)}` }, 'signature'],
      ['an unknown field', { chainId: 1 }, 'chainId'],
    ])('refuses %s (400)', async (_, change, field) => {
      const signed = await signedSignIn(app, newWallet());
      const before = await state();
      const answer = await verify({ ...signed, ...change }).expect(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(await state()).toEqual(before);
    });

    it('refuses a body over the limit (413)', async () => {
      const signed = await signedSignIn(app, newWallet());
      await verify({ ...signed, message: `${signed.message}${' '.repeat(70_000)}` }).expect(413);
    });

    it('refuses JSON nested deeper than any body needs (400), changing nothing', async () => {
      const before = await state();
      const levels = MAX_JSON_DEPTH + 1;
      const answer = await app
        .http()
        .post('/api/v1/auth/wallet/verify')
        .set('content-type', 'application/json')
        .send(`{"message": ${'['.repeat(levels)}${']'.repeat(levels)}, "signature": "0x"}`)
        .expect(400);
      expect(answer.body.detail).toBe(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
      expect(await state()).toEqual(before);
    });
  });

  describe('linking and unlinking', () => {
    const linkAs = async (accessToken: string, wallet: PrivateKeyAccount) =>
      withToken(app.http(), accessToken).post('/api/v1/auth/wallet/link').send(await signedSignIn(app, wallet));
    const walletsOf = async (accessToken: string) => (await withToken(app.http(), accessToken).get('/api/v1/auth/wallet').expect(200)).body;

    it('links a wallet to a password account, which the wallet then signs in to', async () => {
      const customer = await newCustomer(app);
      const wallet = newWallet();
      const { body: linked } = await linkAs(customer.session.accessToken, wallet);
      expect(linked).toEqual({ address: wallet.address, linkedAt: expect.any(String) });
      expect(await walletsOf(customer.session.accessToken)).toEqual([linked]);
      const account = await accountOf((await walletSession(app, wallet)).accessToken);
      expect(account).toMatchObject({ id: customer.id, email: customer.email });
      // Linking it again changes nothing.
      const again = await linkAs(customer.session.accessToken, wallet);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(linked);
    });

    it("refuses another account's wallet (409), and leaves its nonce unused", async () => {
      const wallet = newWallet();
      await walletSession(app, wallet);
      const customer = await newCustomer(app);
      const signed = await signedSignIn(app, wallet);
      const before = await state();
      const refused = await customer.http().post('/api/v1/auth/wallet/link').send(signed).expect(409);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await state()).toEqual(before);
      expect(await walletsOf(customer.session.accessToken)).toEqual([]);
    });

    it('refuses to link with a message signed by another key (401)', async () => {
      const customer = await newCustomer(app);
      const forged = await signedSignIn(app, newWallet(), {}, newWallet());
      const before = await state();
      expectUnauthenticated(await customer.http().post('/api/v1/auth/wallet/link').send(forged), /not signed by its address/);
      expect(await state()).toEqual(before);
    });

    it("unlinks the caller's wallet, given in any case; another's is not found", async () => {
      const customer = await newCustomer(app);
      const [mine, theirs] = [newWallet(), newWallet()];
      expect((await linkAs(customer.session.accessToken, mine)).status).toBe(201);
      await walletSession(app, theirs);
      await customer.http().delete(`/api/v1/auth/wallet/${theirs.address}`).expect(404);
      await customer.http().delete(`/api/v1/auth/wallet/${mine.address.toLowerCase()}`).expect(204);
      expect(await walletsOf(customer.session.accessToken)).toEqual([]);
      await customer.http().delete(`/api/v1/auth/wallet/${mine.address}`).expect(404);
      await customer.http().delete('/api/v1/auth/wallet/0x1234').expect(400);
      // The password account signs in with its password still; the wallet now makes an account of its own.
      expect((await accountOf((await walletSession(app, mine)).accessToken)).id).not.toBe(customer.id);
    });

    it("keeps a wallet-only account's last wallet (409), and lets it go once another is linked", async () => {
      const [first, second] = [newWallet(), newWallet()];
      const { accessToken } = await walletSession(app, first);
      const routes = withToken(app.http(), accessToken);
      const refused = await routes.delete(`/api/v1/auth/wallet/${first.address}`).expect(409);
      expect(refused.body.detail).toMatch(/only way to sign in/);
      expect((await linkAs(accessToken, second)).status).toBe(201);
      await routes.delete(`/api/v1/auth/wallet/${first.address}`).expect(204);
      await routes.delete(`/api/v1/auth/wallet/${second.address}`).expect(409);
      expect((await walletsOf(accessToken)).map((wallet: { address: string }) => wallet.address)).toEqual([second.address]);
    });

    it('answers 401 with a Bearer challenge to a caller without a token', async () => {
      const wallet = newWallet();
      const answers = [
        await app.http().get('/api/v1/auth/wallet'),
        await app.http().post('/api/v1/auth/wallet/link').send(await signedSignIn(app, wallet)),
        await app.http().delete(`/api/v1/auth/wallet/${wallet.address}`),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.headers['www-authenticate']).toBe('Bearer realm="commerce"');
      }
    });
  });
});
