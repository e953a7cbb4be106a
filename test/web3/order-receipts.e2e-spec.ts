import { getAddress } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { CommandBus } from '@nestjs/cqrs';
import { OrderReceiptAbi } from '../../libs/chain';
import { failpoints } from '../../libs/failpoints';
import { IntegrationMessage } from '../../libs/contracts';
import { MintOrderReceiptV1 } from '../../libs/contracts/receipts';
import { newId } from '../../libs/persistence';
import { EvmNode, startEvmNode } from '../support/evm-node';
import { FaultProxy } from '../support/fault-proxy';
import { BASE_URI, deployReceipts, mintsOf, mintTransactionsOf, orderEvents, ownerOf, ReceiptChainFixture, tokenIdOf } from '../support/receipts';
import { MintReceiptCommand } from '../../src/modules/receipts/application/mint-receipt/mint-receipt.command';
import { itInProcess, startTestApp, TestApp } from '../support/test-app';

const MAX_TOKEN_ID = (1n << 128n) - 1n;

/**
 * NFT receipts against a real local chain (anvil): an order confirmed, paid by an on-chain transfer
 * and completed gets one receipt, minted to the wallet that paid, whatever the order and number of
 * its events' deliveries; its metadata is public.
 */
describe('order receipts', () => {
  let node: EvmNode;
  let chain: ReceiptChainFixture;
  let app: TestApp;
  let payers: `0x${string}`[];

  beforeAll(async () => {
    node = await startEvmNode();
    chain = await deployReceipts(node);
    payers = node.accounts.slice(5).map(({ address }) => getAddress(address));
    app = await startTestApp(chain.env);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    chain?.chains.onApplicationShutdown();
    await node?.stop();
  });

  const publish = (message: IntegrationMessage, orderId: string) => app.publish(message, orderId);

  /** The receipt's owner once it is minted. */
  function mintedTo(orderId: string): Promise<string | null> {
    return app.eventually(async () => {
      const owner = await ownerOf(chain, tokenIdOf(orderId));
      if (owner === null) throw new Error(`the receipt of ${orderId} is not minted yet`);
      return owner;
    }, 20_000);
  }

  it.each([
    ['confirmed, paid, completed', ['confirmed', 'paid', 'completed']],
    ['completed, paid, confirmed', ['completed', 'paid', 'confirmed']],
    ['paid, completed, confirmed', ['paid', 'completed', 'confirmed']],
  ] as const)('mints the receipt to the payer once the order is known as %s, and not before', async (_order, sequence) => {
    const orderId = newId();
    const events = orderEvents(orderId, payers[0]);
    for (const kind of sequence.slice(0, 2)) {
      await publish(events[kind], orderId);
      await app.drained();
    }
    expect(await ownerOf(chain, tokenIdOf(orderId))).toBeNull();
    await app.http().get(`/api/v1/nft/${tokenIdOf(orderId)}`).expect(404);

    await publish(events[sequence[2]], orderId);

    expect(await mintedTo(orderId)).toBe(payers[0]);
    const tokenURI = await chain.reader.readContract({ address: chain.contract, abi: OrderReceiptAbi, functionName: 'tokenURI', args: [tokenIdOf(orderId)] });
    expect(tokenURI).toBe(`${BASE_URI}${tokenIdOf(orderId)}`);
    expect(await mintsOf(chain, tokenIdOf(orderId))).toHaveLength(1);
  });

  it("answers a minted receipt's ERC-721 metadata to anyone: its order, items, total and confirmation date, never the customer", async () => {
    const orderId = newId();
    const { confirmed, paid, completed } = orderEvents(orderId, payers[1], 6748);
    await Promise.all([confirmed, paid, completed].map((message) => publish(message, orderId)));
    await mintedTo(orderId);
    const [{ occurred_at: confirmedAt }] = await app.sql<{ occurred_at: string }>(
      `SELECT envelope->>'occurredAt' AS occurred_at FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'ordering.order.confirmed'`,
      [orderId],
    );

    const response = await app.eventually(() => app.http().get(`/api/v1/nft/${tokenIdOf(orderId)}`).expect(200));

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toEqual({
      name: `Receipt of order ${orderId}`,
      description: `Proof of purchase of order ${orderId}: 3 items, 67.48 EUR paid by an on-chain transfer, confirmed on ${confirmedAt.slice(0, 10)}.`,
      attributes: [
        { trait_type: 'Total', value: '67.48 EUR' },
        { trait_type: 'Currency', value: 'EUR' },
        { trait_type: 'Items', value: 3, display_type: 'number' },
        { trait_type: 'Confirmed', value: Math.floor(Date.parse(confirmedAt) / 1000), display_type: 'date' },
      ],
      properties: {
        orderId,
        items: [
          { productId: '0190a000-0000-7000-8000-000000000001', quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } },
          { productId: '0190a000-0000-7000-8000-000000000002', quantity: 1, unitPrice: { amount: 2750, currency: 'EUR' } },
        ],
        total: { amount: 6748, currency: 'EUR' },
        confirmedAt,
      },
    });
    expect(JSON.stringify(response.body)).not.toContain('cus_receipts');
  });

  it.each([
    ['letters', 'abc'],
    ['a negative number', '-1'],
    ['a fraction', '1.5'],
    ['hex', '0x10'],
    ['2^128, one past the largest order id', (MAX_TOKEN_ID + 1n).toString()],
    ['40 digits', '1'.repeat(40)],
  ])('refuses a token id that is %s with a 400 problem naming tokenId', async (_case, tokenId) => {
    const response = await app.http().get(`/api/v1/nft/${encodeURIComponent(tokenId)}`).expect(400);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([
      { field: 'tokenId', message: 'tokenId must be a whole number in decimal, from 0 to 340282366920938463463374607431768211455 (2^128 - 1)' },
    ]);
  });

  it('answers 404, not cached, for a token id no receipt was minted with: unknown, the largest, or an order not completed yet', async () => {
    const orderId = newId();
    const { confirmed, paid } = orderEvents(orderId, payers[2]);
    await publish(confirmed, orderId);
    await publish(paid, orderId);
    await app.drained();

    for (const tokenId of [tokenIdOf(newId()), MAX_TOKEN_ID, 0n, tokenIdOf(orderId)]) {
      const response = await app.http().get(`/api/v1/nft/${tokenId}`).expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['cache-control']).toBeUndefined();
    }
  });

  it('gives no receipt to an order paid otherwise than by an on-chain transfer', async () => {
    const orderId = newId();
    const { confirmed, completed } = orderEvents(orderId, payers[3]);
    await publish(confirmed, orderId);
    await publish(completed, orderId);
    await app.drained();

    const [row] = await app.sql<{ mint_requested_at: Date | null }>('SELECT mint_requested_at FROM receipts.receipt WHERE order_id = $1', [orderId]);
    expect(row.mint_requested_at).toBeNull();
    expect(await mintsOf(chain, tokenIdOf(orderId))).toHaveLength(0);
  });

  it('mints once under repeated and concurrent deliveries of the events and of the mint command: one Transfer from 0x0, one mint transaction', async () => {
    const orders = Array.from({ length: 4 }, () => newId());
    const command = (orderId: string) =>
      new MintOrderReceiptV1({ orderId, tokenId: tokenIdOf(orderId).toString(), chainId: node.chainId, contractAddress: chain.contract, owner: payers[4] });
    // Every event three times and the mint command three times, all at once, for four orders at once.
    await Promise.all(
      orders.flatMap((orderId) => {
        const { confirmed, paid, completed } = orderEvents(orderId, payers[4]);
        return [confirmed, paid, completed, confirmed, paid, completed, confirmed, paid, completed].map((message) => publish(message, orderId));
      }),
    );
    await Promise.all(orders.map((orderId) => app.eventually(() => app.sql('SELECT 1 FROM receipts.receipt WHERE order_id = $1 AND mint_requested_at IS NOT NULL', [orderId]).then((rows) => expect(rows).toHaveLength(1)))));
    await Promise.all(orders.flatMap((orderId) => [command(orderId), command(orderId), command(orderId)].map((message) => publish(message, orderId))));

    for (const orderId of orders) expect(await mintedTo(orderId)).toBe(payers[4]);
    await app.drained();
    for (const orderId of orders) {
      const mints = await mintsOf(chain, tokenIdOf(orderId));
      expect(mints.map(({ args }) => args.to)).toEqual([payers[4]]);
      expect(await mintTransactionsOf(chain, tokenIdOf(orderId))).toEqual([mints[0].transactionHash]);
    }
    expect(await app.sql('SELECT * FROM messaging.dead_letter')).toEqual([]);
  });

  itInProcess('mints once when deliveries of the mint run its handler side by side, the first holding the minter’s turn', async () => {
    const orderId = newId();
    const { confirmed, paid, completed } = orderEvents(orderId, payers[3]);
    // A mint that broadcast keeps the minter's turn half a second longer: the deliveries below, and the receipt's own
    // command, run side by side, wait for the turn, and must find the transaction rather than send another.
    failpoints.arm([{ name: 'after-mint-broadcast', action: { kind: 'delay', ms: 500 } }]);
    try {
      for (const message of [confirmed, paid, completed]) await publish(message, orderId);
      const target = { chainId: node.chainId, contractAddress: chain.contract, owner: payers[3] };
      const commandBus = app.nest.get(CommandBus);
      await app.eventually(async () => expect(await app.sql('SELECT 1 FROM receipts.receipt WHERE order_id = $1 AND mint_requested_at IS NOT NULL', [orderId])).toHaveLength(1));

      await Promise.all([1, 2, 3, 4].map(() => commandBus.execute(new MintReceiptCommand(orderId, tokenIdOf(orderId), target))));
    } finally {
      failpoints.arm([]);
    }

    expect(await ownerOf(chain, tokenIdOf(orderId))).toBe(payers[3]);
    const mints = await mintsOf(chain, tokenIdOf(orderId));
    expect(await mintTransactionsOf(chain, tokenIdOf(orderId))).toEqual([mints[0].transactionHash]);
    await app.drained();
    expect(await app.sql('SELECT * FROM messaging.dead_letter')).toEqual([]);
  });

  it('records the block and gas of each mint as its transaction receipt has them', async () => {
    const orderId = newId();
    // A wallet that holds no receipt yet, as a customer's first.
    const { confirmed, paid, completed } = orderEvents(orderId, privateKeyToAddress(generatePrivateKey()));
    await Promise.all([confirmed, paid, completed].map((message) => publish(message, orderId)));
    await mintedTo(orderId);
    const [mint] = await mintsOf(chain, tokenIdOf(orderId));
    const receipt = await chain.reader.getTransactionReceipt({ hash: mint.transactionHash });

    const [row] = await app.eventually(async () => {
      const rows = await app.sql<{ minted_tx_hash: string; minted_block: string; minted_gas_used: string }>(
        'SELECT minted_tx_hash, minted_block::text, minted_gas_used::text FROM receipts.receipt WHERE order_id = $1 AND minted_at IS NOT NULL',
        [orderId],
      );
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row).toEqual({ minted_tx_hash: receipt.transactionHash, minted_block: receipt.blockNumber.toString(), minted_gas_used: receipt.gasUsed.toString() });
    expect(receipt.status).toBe('success');
    expect(receipt.gasUsed).toBeGreaterThan(21_000n);
    expect(receipt.gasUsed).toBeLessThan(200_000n);
    process.stdout.write(`receipts: one mint (OrderReceipt.mint, the first receipt of a wallet) used ${receipt.gasUsed} gas on anvil\n`);
  });

  describe("while the chain's RPC endpoint is down", () => {
    const MAX_ATTEMPTS = 4;
    let proxy: FaultProxy;
    let outage: TestApp;

    beforeAll(async () => {
      // One application at a time in this process: their metrics share prom-client's registry.
      await app.close();
      app = undefined as unknown as TestApp;
      proxy = await FaultProxy.forUrl(node.rpcUrl, 8545);
      outage = await startTestApp({
        ...chain.env,
        WEB3_CHAINS: JSON.stringify([{ id: node.chainId, rpcUrl: proxy.in(node.rpcUrl), receiptContract: chain.contract }]),
        WEB3_RPC_TIMEOUT_MS: '500',
        WEB3_RPC_BREAKER_FAILURES: '1',
        WEB3_RPC_BREAKER_RESET_MS: '3000',
        MESSAGE_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      });
    }, 60_000);

    afterAll(async () => {
      await outage?.close();
      await proxy?.close();
    });

    it('defers the mint while its circuit is open, using up none of its deliveries, and mints once the endpoint is back', async () => {
      proxy.reset();
      const orderId = newId();
      for (const message of Object.values(orderEvents(orderId, payers[2]))) await outage.publish(message, orderId);
      const mintRow = () =>
        outage.sql<{ attempts: number; last_error: string | null; dead_at: Date | null }>(
          `SELECT attempts, last_error, dead_at FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'receipts.receipt.mint'`,
          [orderId],
        );
      await outage.eventually(async () => expect((await mintRow())[0]?.last_error).toMatch(/ChainUnavailableError: chain 31337's RPC endpoint keeps failing/));
      // Retried every 200 ms for four seconds (MESSAGE_RETRY_MAX_MS), each a delivery had it not been deferred.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const [during] = await mintRow();
      expect(during.dead_at).toBeNull();
      expect(during.attempts).toBeLessThan(MAX_ATTEMPTS);

      proxy.pass();

      expect(await outage.eventually(() => ownerOf(chain, tokenIdOf(orderId)).then((owner) => owner ?? Promise.reject(new Error('not minted'))), 20_000)).toBe(payers[2]);
      expect(await mintTransactionsOf(chain, tokenIdOf(orderId))).toHaveLength(1);
      expect(await outage.sql('SELECT * FROM messaging.dead_letter')).toEqual([]);
    });
  });
});
