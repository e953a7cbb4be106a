import { getAddress } from 'viem';
import { FailpointName, RECEIPT_FAILPOINTS } from '../../libs/failpoints';
import { newId } from '../../libs/persistence';
import { AppProcess, endedWithin, freePort, restartableServiceEnv } from '../support/app-process';
import { EvmNode, mine, startEvmNode } from '../support/evm-node';
import { deployReceipts, keySpellings, mintsOf, mintTransactionsOf, orderEvents, ReceiptChainFixture, tokenIdOf } from '../support/receipts';
import { onServiceDatabase, serviceDatabase } from '../support/service-database';
import { eventually, publishThroughOutbox } from '../support/test-env';

/**
 * The service as its own process, killed with SIGKILL at each step of a receipt's mint and started
 * again on the same database and chain: the receipt is minted once, by one transaction. Runs on the
 * embedded database (a data directory on disk) and on TEST_DATABASE_URL's server.
 */
describe("A receipt's mint, its process killed at each failpoint", () => {
  let node: EvmNode;

  beforeAll(async () => {
    node = await startEvmNode();
  });

  afterAll(async () => {
    await node?.stop();
  });

  it.each(RECEIPT_FAILPOINTS.map((failpoint, index) => [failpoint, index]))(
    'mints once after being killed at %s, and the key shows nowhere',
    async (failpoint: FailpointName, index: number) => {
      // A contract and a minter of its own, so the minter's nonce counts this mint's transactions alone.
      const chain: ReceiptChainFixture = await deployReceipts(node, 1 + index);
      const database = await serviceDatabase();
      const orderId = newId();
      const payer = getAddress(node.accounts[9].address);
      const app = new AppProcess(await freePort(), { ...restartableServiceEnv(), ...database.env, ...chain.env, LOG_LEVEL: 'debug' });
      try {
        await onServiceDatabase(database.env, async (sql) => {
          for (const message of Object.values(orderEvents(orderId, payer))) await publishThroughOutbox(sql, message, orderId);
        });

        // The events are delivered as the process starts: it may die before it answers.
        await app.start({ FAILPOINTS: `${failpoint}=kill` }).catch(() => undefined);
        expect(await endedWithin(app, 30_000)).toBe('SIGKILL');
        const sentBeforeTheKill = await chain.reader.getTransactionCount({ address: chain.minter.address });
        expect(sentBeforeTheKill).toBe(failpoint === 'after-mint-recorded' ? 0 : 1);
        const [{ mint_tx_hash: recordedAtTheKill }] = await onServiceDatabase(database.env, (sql) =>
          sql('SELECT mint_tx_hash FROM receipts.receipt WHERE order_id = $1', [orderId]),
        );
        expect(recordedAtTheKill).toMatch(/^0x[0-9a-f]{64}$/);
        // The base fee moves with each block: a transaction signed anew after the restart would differ from the recorded one.
        await mine(node, 3);

        await app.start();
        const metadata = await eventually(async () => {
          const response = await fetch(`${app.url}/api/v1/nft/${tokenIdOf(orderId)}`);
          expect(response.status).toBe(200);
          return (await response.json()) as { properties: { orderId: string } };
        }, 30_000);
        expect(metadata.properties.orderId).toBe(orderId);

        const mints = await mintsOf(chain, tokenIdOf(orderId));
        expect(mints.map(({ args }) => args.to)).toEqual([payer]);
        expect(await mintTransactionsOf(chain, tokenIdOf(orderId))).toEqual([mints[0].transactionHash]);
        expect(await chain.reader.getTransactionCount({ address: chain.minter.address })).toBe(1);
        const health = await (await fetch(`${app.url}/health/ready`)).text();
        await app.stop();

        const [recorded] = await onServiceDatabase(database.env, (sql) =>
          sql('SELECT mint_tx_hash, minted_tx_hash FROM receipts.receipt WHERE order_id = $1', [orderId]),
        );
        // The transaction recorded before the kill is the one that minted: sent again as it was, never signed anew.
        expect(mints[0].transactionHash).toBe(recordedAtTheKill);
        expect(recorded).toEqual({ mint_tx_hash: recordedAtTheKill, minted_tx_hash: recordedAtTheKill });
        const written = `${app.output.join('')}\n${health}`;
        expect(written).toContain(failpoint);
        for (const spelling of keySpellings(chain.minter.privateKey)) expect(written).not.toContain(spelling);
      } finally {
        await app.stop();
        chain.chains.onApplicationShutdown();
        await database.drop();
      }
    },
    120_000,
  );
});
