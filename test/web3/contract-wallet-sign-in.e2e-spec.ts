import { createPublicClient, createWalletClient, defineChain, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { deployTestSmartWallet } from '../../libs/chain';
import { withToken } from '../support/auth';
import { EvmNode, startEvmNode } from '../support/evm-node';
import { startTestApp, TestApp } from '../support/test-app';
import { newWallet, signedSignIn } from '../support/wallet';

/**
 * Sign-In with Ethereum from a smart-contract wallet (EIP-1271), on a real local chain: the
 * signature is its owner key's, which only the contract's `isValidSignature` can vouch for.
 */
describe('identity: Sign-In with Ethereum from a contract wallet (EIP-1271)', () => {
  let node: EvmNode;
  let app: TestApp;
  let contractWallet: `0x${string}`;
  const owner = newWallet();

  beforeAll(async () => {
    node = await startEvmNode();
    const chain = defineChain({ id: node.chainId, name: 'local', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.rpcUrl] } } });
    const deployer = createWalletClient({ account: privateKeyToAccount(node.accounts[0].privateKey), chain, transport: http(node.rpcUrl) });
    contractWallet = await deployTestSmartWallet(deployer, createPublicClient({ chain, transport: http(node.rpcUrl) }), { owner: owner.address });
    app = await startTestApp({ WEB3_CHAINS: JSON.stringify([{ id: node.chainId, rpcUrl: node.rpcUrl }]) });
  });

  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  const verify = (body: object) => app.http().post('/api/v1/auth/wallet/verify').send(body);
  const usedNonces = async () => (await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM identity.wallet_nonce WHERE used_at IS NOT NULL'))[0].n;

  it("signs a contract wallet in by its owner's signature, which the contract accepts on its chain", async () => {
    const signed = await signedSignIn(app, owner, { address: contractWallet, chainId: node.chainId });

    const { body } = await verify(signed).expect(200);

    const { body: wallets } = await withToken(app.http(), body.accessToken).get('/api/v1/auth/wallet').expect(200);
    expect(wallets.map((w: { address: string }) => w.address)).toEqual([contractWallet]);
  });

  it('refuses a signature by a key the contract does not accept (401)', async () => {
    const signed = await signedSignIn(app, owner, { address: contractWallet, chainId: node.chainId }, newWallet());
    const before = await usedNonces();

    const refused = await verify(signed).expect(401);

    expect(refused.body.detail).toMatch(/not signed by its address/);
    expect(await usedNonces()).toBe(before);
  });

  it('refuses a contract wallet on a chain the shop does not read: nothing can vouch for it (401)', async () => {
    await verify(await signedSignIn(app, owner, { address: contractWallet, chainId: 8453 })).expect(401);
  });

  it("answers 503 while the contract wallet's chain cannot be reached, and leaves the nonce unused", async () => {
    const signed = await signedSignIn(app, owner, { address: contractWallet, chainId: node.chainId });
    await node.stop();
    const before = await usedNonces();

    const unavailable = await verify(signed).expect(503);

    expect(unavailable.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unavailable.body.detail).toMatch(/cannot be reached/);
    expect(await usedNonces()).toBe(before);
  });
});
