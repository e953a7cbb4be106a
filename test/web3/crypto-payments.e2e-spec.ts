import { randomBytes } from 'node:crypto';
import { Chain, createPublicClient, createWalletClient, defineChain, http, PublicClient } from 'viem';
import { HDKey, privateKeyToAccount } from 'viem/accounts';
import { deployOrderReceipt, deployTestStablecoin, OrderReceiptAbi, TestStablecoinAbi } from '../../libs/chain';
import { Customer, newCustomer } from '../support/auth';
import { EvmNode, mine, revert, snapshot, startEvmNode } from '../support/evm-node';
import { finalOrder, paymentOf, stockedProduct, stockOf } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

const CONFIRMATIONS = 2;
const EXPIRY_SECONDS = 600;
/** A cent of EURC, which has 6 decimals. */
const CENT = 10_000n;

interface TransferRequest {
  chainId: number;
  token: string;
  tokenAddress: `0x${string}`;
  receivingAddress: `0x${string}`;
  amount: string;
  received: string;
  status: string;
  expiresAt: string;
  payer: string | null;
}

/**
 * Crypto payments paid by the payer's own ERC-20 transfer, on a real local chain (anvil): the order
 * waits for the transfer, the watcher counts it once it has its confirmations, the order completes
 * and its NFT receipt is minted to the payer; a transfer whose block is dropped, too little, or too
 * late does not pay.
 */
describe('crypto payments by on-chain transfer', () => {
  let node: EvmNode;
  let app: TestApp;
  let localChain: Chain;
  let chain: PublicClient;
  let token: `0x${string}`;
  let receipts: `0x${string}`;
  let customer: Customer;
  const payer = () => node.accounts[1];

  beforeAll(async () => {
    node = await startEvmNode();
    localChain = defineChain({ id: node.chainId, name: 'local', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.rpcUrl] } } });
    chain = createPublicClient({ chain: localChain, transport: http(node.rpcUrl) });
    const owner = createWalletClient({ account: privateKeyToAccount(node.accounts[0].privateKey), chain: localChain, transport: http(node.rpcUrl) });
    token = await deployTestStablecoin(owner, chain, { name: 'Euro Coin (test)', symbol: 'EURC' });
    await chain.waitForTransactionReceipt({
      hash: await owner.writeContract({ address: token, abi: TestStablecoinAbi, functionName: 'mint', args: [payer().address, 1_000_000n * 1_000_000n] }),
    });
    const minter = node.accounts[2];
    receipts = await deployOrderReceipt(owner, chain, { name: 'Order receipts', symbol: 'RCPT', baseUri: 'https://shop.test.example/api/v1/nft/', admin: owner.account.address, minter: minter.address });
    const seed = randomBytes(64);
    app = await startTestApp({
      WEB3_CHAINS: JSON.stringify([
        { id: node.chainId, rpcUrl: node.rpcUrl, confirmations: CONFIRMATIONS, tokens: { EURC: { address: token, decimals: 6 } }, receiptContract: receipts },
      ]),
      RECEIPTS_CHAIN_ID: String(node.chainId),
      RECEIPTS_MINTER_PRIVATE_KEY: minter.privateKey,
      RECEIPTS_MINT_POLL_MS: '100',
      CRYPTO_RECEIVING_XPUB: HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'").publicExtendedKey,
      CRYPTO_TRANSFER_EXPIRY_SECONDS: String(EXPIRY_SECONDS),
      CRYPTO_TRANSFER_POLL_MS: '100',
    });
    customer = await newCustomer(app);
  });

  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  async function cryptoOrder(productId: string, quantity = 1, paymentToken = `eip155:${node?.chainId}`): Promise<string> {
    const { body } = await customer
      .http()
      .post('/api/v1/orders')
      .send({ items: [{ productId, quantity }], payment: { method: 'crypto', token: paymentToken } })
      .expect(202);
    return body.id;
  }

  /** The order's transfer request, once payments asked for the transfer. */
  function transferRequestOf(orderId: string): Promise<TransferRequest> {
    return app.eventually(async () => {
      const payment = await paymentOf(app, orderId);
      expect(payment.status).toBe('AWAITING_TRANSFER');
      return payment.transferRequest as TransferRequest;
    });
  }

  async function transfer(to: `0x${string}`, amount: bigint, from = payer()): Promise<{ hash: `0x${string}`; blockNumber: bigint }> {
    const wallet = createWalletClient({ account: privateKeyToAccount(from.privateKey), chain: localChain, transport: http(node.rpcUrl) });
    const hash = await wallet.writeContract({ address: token, abi: TestStablecoinAbi, functionName: 'transfer', args: [to, amount] });
    const { blockNumber, status } = await chain.waitForTransactionReceipt({ hash });
    expect(status).toBe('success');
    return { hash, blockNumber };
  }

  /** Resolves once the watcher has read every block up to the chain's confirmed head. */
  async function watcherCaughtUp(): Promise<void> {
    const confirmedHead = (await chain.getBlockNumber({ cacheTime: 0 })) - BigInt(CONFIRMATIONS - 1);
    await app.eventually(async () => {
      const [cursor] = await app.sql<{ block_number: string }>('SELECT block_number::text FROM payments.chain_cursor WHERE chain_id = $1', [node.chainId]);
      expect(BigInt(cursor?.block_number ?? -1)).toBeGreaterThanOrEqual(confirmedHead);
    });
    await app.drained();
  }

  /** The order's receipt token, once minted to the payer and recorded so (its transaction confirmed). */
  async function receiptMinted(orderId: string): Promise<bigint> {
    const tokenId = BigInt(`0x${orderId.replace(/-/g, '')}`);
    const owner = await app.eventually(() => chain.readContract({ address: receipts, abi: OrderReceiptAbi, functionName: 'ownerOf', args: [tokenId] }));
    expect(owner.toLowerCase()).toBe(payer().address.toLowerCase());
    await mine(node, CONFIRMATIONS);
    await app.drained();
    return tokenId;
  }

  /** Moves the chain's clock past the request's expiry and mines the blocks that show it confirmed. */
  async function pastExpiry(): Promise<void> {
    await fetch(node.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_increaseTime', params: [EXPIRY_SECONDS + 60] }),
    });
    await mine(node, CONFIRMATIONS);
  }

  it('asks for a transfer of the stablecoin to an address of its own, completes the order once the transfer has its confirmations, and mints its receipt to the payer', async () => {
    const productId = await stockedProduct(app, 10, 2999);
    const orderId = await cryptoOrder(productId, 2);
    const request = await transferRequestOf(orderId);
    expect(request).toMatchObject({ chainId: node.chainId, token: 'EURC', tokenAddress: token.toLowerCase(), amount: (5998n * CENT).toString(), received: '0', status: 'OPEN' });
    expect(request.receivingAddress).toMatch(/^0x[0-9a-f]{40}$/);
    expect(Date.parse(request.expiresAt) - Date.now()).toBeGreaterThan((EXPIRY_SECONDS - 60) * 1000);
    const other = await transferRequestOf(await cryptoOrder(productId));
    expect(other.receivingAddress).not.toBe(request.receivingAddress);

    const started = Date.now();
    const { hash } = await transfer(request.receivingAddress, 5998n * CENT);
    // One confirmation of the two: not counted yet.
    await watcherCaughtUp();
    expect((await paymentOf(app, orderId)).status).toBe('AWAITING_TRANSFER');
    await mine(node, 1);

    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    process.stdout.write(`crypto payments: transfer to order COMPLETED with ${CONFIRMATIONS} confirmations (one block mined after the transfer's) in ${Date.now() - started} ms\n`);
    const payment = await paymentOf(app, orderId);
    expect(payment).toMatchObject({ status: 'CAPTURED', transferRequest: { status: 'PAID', received: (5998n * CENT).toString(), payer: payer().address.toLowerCase() } });
    const [counted] = await app.sql<{ transaction_hash: string; effect: string }>(
      'SELECT transaction_hash, effect FROM payments.chain_transfer WHERE payment_id = $1',
      [payment.id],
    );
    expect(counted).toEqual({ transaction_hash: hash, effect: 'COUNTED' });
    const { body } = await customer.http().get(`/api/v1/orders/${orderId}/events`).expect(200);
    expect(body.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['PaymentTransferRequested', 'PaymentAuthorized', 'OrderConfirmed', 'OrderCompleted']));

    // The receipt: token id = the order id's 128 bits, minted to the wallet that paid, its metadata served.
    const tokenId = await receiptMinted(orderId);
    const { body: metadata } = await app.eventually(() => app.http().get(`/api/v1/nft/${tokenId}`).expect(200));
    expect(JSON.stringify(metadata)).toContain(orderId);
  });

  it('adds up two transfers, and keeps what came over the amount as received', async () => {
    const productId = await stockedProduct(app, 10, 1000);
    const orderId = await cryptoOrder(productId);
    const request = await transferRequestOf(orderId);

    await transfer(request.receivingAddress, 600n * CENT);
    await transfer(request.receivingAddress, 500n * CENT);
    await mine(node, CONFIRMATIONS);

    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    expect((await paymentOf(app, orderId)).transferRequest).toMatchObject({ status: 'PAID', received: (1100n * CENT).toString() });
    await receiptMinted(orderId);
  });

  it('does not count a transfer whose block a reorganisation dropped before its confirmations', async () => {
    const productId = await stockedProduct(app, 10, 1000);
    const orderId = await cryptoOrder(productId);
    const request = await transferRequestOf(orderId);
    const before = await snapshot(node);

    const { hash } = await transfer(request.receivingAddress, 1000n * CENT);
    await revert(node, before);
    await mine(node, CONFIRMATIONS + 1);
    await watcherCaughtUp();

    expect(await chain.getTransactionReceipt({ hash }).catch(() => null)).toBeNull();
    expect(await paymentOf(app, orderId)).toMatchObject({ status: 'AWAITING_TRANSFER', transferRequest: { received: '0', status: 'OPEN' } });
    const recorded = await app.sql('SELECT 1 FROM payments.chain_transfer WHERE transaction_hash = $1', [hash]);
    expect(recorded).toHaveLength(0);
  });

  it('declines an underpaid request at its expiry, by the time of the chain: the order rolls back and its stock is released', async () => {
    const productId = await stockedProduct(app, 10, 1000);
    const orderId = await cryptoOrder(productId, 3);
    const request = await transferRequestOf(orderId);

    await transfer(request.receivingAddress, 2999n * CENT);
    await mine(node, CONFIRMATIONS);
    await watcherCaughtUp();
    expect((await paymentOf(app, orderId)).transferRequest).toMatchObject({ status: 'OPEN', received: (2999n * CENT).toString() });
    await pastExpiry();

    const order = await finalOrder(app, orderId);
    expect(order.status).toBe('ROLLED_BACK');
    expect(order.reasons).toContain('payment: transfer_underpaid');
    expect(await paymentOf(app, orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'transfer_underpaid', transferRequest: { status: 'EXPIRED' } });
    await app.drained();
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 10, reserved: 0 });
  });

  it('declines a request nobody paid at its expiry, and counts a transfer after it for nothing', async () => {
    const productId = await stockedProduct(app, 10, 1000);
    const orderId = await cryptoOrder(productId);
    const request = await transferRequestOf(orderId);

    await pastExpiry();
    expect((await finalOrder(app, orderId)).reasons).toContain('payment: transfer_not_received');
    const { hash } = await transfer(request.receivingAddress, 1000n * CENT);
    await mine(node, CONFIRMATIONS);
    await watcherCaughtUp();

    expect(await paymentOf(app, orderId)).toMatchObject({ status: 'DECLINED', transferRequest: { status: 'EXPIRED', received: '0' } });
    const [late] = await app.sql<{ effect: string }>('SELECT effect FROM payments.chain_transfer WHERE transaction_hash = $1', [hash]);
    expect(late.effect).toBe('AFTER_CLOSE');
  });

  it('declines at once a payment method naming a chain it does not take transfers on', async () => {
    const productId = await stockedProduct(app, 10, 1000);
    const orderId = await cryptoOrder(productId, 1, 'eip155:1');

    const order = await finalOrder(app, orderId);
    expect(order.reasons).toContain('payment: chain_not_supported');
  });
});
