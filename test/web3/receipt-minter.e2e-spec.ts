import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keystore } from 'ox';
import { getAddress } from 'viem';
import { newId } from '../../libs/persistence';
import { AppProcess, freePort, restartableServiceEnv, runUntilExit } from '../support/app-process';
import { logInAt } from '../support/auth';
import { EvmNode, startEvmNode } from '../support/evm-node';
import { deployReceipts, keySpellings, mintsOf, mintTransactionsOf, orderEvents, ownerOf, ReceiptChainFixture, tokenIdOf } from '../support/receipts';
import { onServiceDatabase, serviceDatabase } from '../support/service-database';
import { startTestApp } from '../support/test-app';
import { eventually, publishThroughOutbox, TEST_ENV } from '../support/test-env';
import { json } from '../support/service-http';

const PASSWORD = 'minter keystore password for tests';

/** The minter's key as the service is given it: RECEIPTS_MINTER_PRIVATE_KEY, or a keystore file and its password. */
describe("The receipts' minter", () => {
  let node: EvmNode;
  const dir = mkdtempSync(join(tmpdir(), 'receipt-minter-'));

  /** An Ethereum V3 keystore of the minter's key, as a wallet writes it (with a cheap scrypt, for speed). */
  function keystoreOf({ minter }: ReceiptChainFixture): string {
    const [key, options] = Keystore.scrypt({ password: PASSWORD, n: 1024 });
    const path = join(dir, `${minter.address}.json`);
    writeFileSync(path, JSON.stringify({ ...Keystore.encrypt(minter.privateKey, key, options), address: minter.address.slice(2).toLowerCase() }));
    return path;
  }

  function keystoreEnv(chain: ReceiptChainFixture, password = PASSWORD): Record<string, string> {
    const { RECEIPTS_MINTER_PRIVATE_KEY: _key, ...env } = chain.env;
    return { ...env, RECEIPTS_MINTER_KEYSTORE: keystoreOf(chain), RECEIPTS_MINTER_KEYSTORE_PASSWORD: password };
  }

  beforeAll(async () => {
    node = await startEvmNode();
  });

  afterAll(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mints with the key of a keystore file, opened with its password', async () => {
    const chain = await deployReceipts(node, 2);
    const app = await startTestApp(keystoreEnv(chain));
    try {
      const orderId = newId();
      const payer = getAddress(node.accounts[7].address);
      for (const message of Object.values(orderEvents(orderId, payer))) await app.publish(message, orderId);

      expect(await app.eventually(() => ownerOf(chain, tokenIdOf(orderId)).then((owner) => owner ?? Promise.reject(new Error('not minted'))), 20_000)).toBe(payer);
      const [mint] = await mintsOf(chain, tokenIdOf(orderId));
      // Sent by the keystore's account: the minter granted the role.
      expect(await mintTransactionsOf(chain, tokenIdOf(orderId))).toEqual([mint.transactionHash]);
    } finally {
      await app.close();
      chain.chains.onApplicationShutdown();
    }
  });

  it('stops the start with one clear line when the password does not open the keystore, naming neither the password nor the key', async () => {
    const chain = await deployReceipts(node, 2);
    const env = keystoreEnv(chain, 'not the password');
    try {
      const run = await runUntilExit({ ...restartableServiceEnv(), DATA_DIR: 'memory://', ...env });

      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `Invalid configuration: RECEIPTS_MINTER_KEYSTORE ${env.RECEIPTS_MINTER_KEYSTORE} does not open with RECEIPTS_MINTER_KEYSTORE_PASSWORD: ` +
          'the password does not open it (its MAC does not match)\n',
      );
      const written = run.stdout + run.stderr;
      expect(written).not.toContain('not the password');
      for (const spelling of keySpellings(chain.minter.privateKey)) expect(written).not.toContain(spelling);
    } finally {
      chain.chains.onApplicationShutdown();
    }
  });

  it('never shows the key: not in its logs (at debug), the errors it records, its health or its metrics, a refused mint included', async () => {
    // The contract's minter is another account: this one's mints are refused (no MINTER_ROLE) and dead-lettered.
    const chain = await deployReceipts(node, 3);
    const unauthorized = node.accounts[4];
    const database = await serviceDatabase();
    const app = new AppProcess(await freePort(), {
      ...restartableServiceEnv(),
      ...database.env,
      ...chain.env,
      RECEIPTS_MINTER_PRIVATE_KEY: unauthorized.privateKey,
      LOG_LEVEL: 'debug',
    });
    const orderId = newId();
    try {
      await onServiceDatabase(database.env, async (sql) => {
        for (const message of Object.values(orderEvents(orderId, node.accounts[7].address))) await publishThroughOutbox(sql, message, orderId);
      });
      await app.start();
      const admin = await logInAt(app.url, TEST_ENV.ADMIN_EMAIL, TEST_ENV.ADMIN_PASSWORD);
      const letters = await eventually(async () => {
        const listed = (await json(`${app.url}/api/v1/admin/dead-letters`, {}, admin)) as { envelope: { aggregateId: string } }[];
        const refused = listed.filter(({ envelope }) => envelope.aggregateId === orderId);
        expect(refused).toHaveLength(1);
        return refused;
      }, 30_000);
      const seen = [JSON.stringify(letters), await (await fetch(`${app.url}/health/ready`)).text(), await (await fetch(`${app.url}/metrics`)).text()];
      await app.stop();
      const recorded = await onServiceDatabase(database.env, (sql) =>
        sql(`SELECT error AS text FROM messaging.dead_letter UNION ALL SELECT last_error FROM messaging.outbox WHERE last_error IS NOT NULL`),
      );
      const written = [app.output.join(''), ...seen, JSON.stringify(recorded)].join('\n');

      expect(written).toContain('refuses the mint: AccessControlUnauthorizedAccount');
      for (const spelling of keySpellings(unauthorized.privateKey)) expect(written).not.toContain(spelling);
    } finally {
      await app.stop();
      chain.chains.onApplicationShutdown();
      await database.drop();
    }
  });
});
