import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, parseEther, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { EvmNode, LOCAL_CHAIN_ID, mine, revert, snapshot, startEvmNode } from '../support/evm-node';

const refused = async (rpcUrl: string): Promise<boolean> =>
  fetch(rpcUrl, { method: 'POST', body: '{}' }).then(
    () => false,
    (error: Error & { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED',
  );

/**
 * A Node script that loads test/support/evm-node.ts (TypeScript compiled on the fly, as Jest does),
 * starts a node, prints its URL and ends without stopping it.
 */
const FORGETFUL_SUITE = `
const ts = require('typescript');
const { readFileSync } = require('node:fs');
const file = ${JSON.stringify(join(__dirname, '..', 'support', 'evm-node.ts'))};
const source = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
const m = new module.constructor(file, module);
m.filename = file;
m.paths = module.constructor._nodeModulePaths(process.cwd());
m._compile(source.outputText, file);
m.exports.startEvmNode().then((node) => { process.stdout.write(node.rpcUrl); process.exit(0); });
`;

describe('the local EVM node of the suites (test/support/evm-node.ts)', () => {
  let node: EvmNode;
  let chain: PublicClient;

  beforeAll(async () => {
    const startedAt = performance.now();
    node = await startEvmNode();
    // Seen in CI's log: what each suite that needs a chain pays for it.
    process.stdout.write(`anvil answered eth_chainId ${Math.round(performance.now() - startedAt)} ms after the spawn\n`);
    chain = createPublicClient({ transport: http(node.rpcUrl), cacheTime: 0, pollingInterval: 50 });
  });

  afterAll(() => node?.stop());

  const wallet = (index: number) =>
    createWalletClient({ account: privateKeyToAccount(node.accounts[index].privateKey), transport: http(node.rpcUrl) });
  const send = async (index: number, to: `0x${string}`, ether: string) => {
    const hash = await wallet(index).sendTransaction({ to, value: parseEther(ether), chain: null });
    // The node answers with the hash and mines right after: the receipt may lag the answer a little.
    return chain.waitForTransactionReceipt({ hash, timeout: 5_000 });
  };

  it('is chain 31337 with ten accounts of 10,000 ETH, each with the key that signs for it', async () => {
    expect(node.chainId).toBe(LOCAL_CHAIN_ID);
    expect(await chain.getChainId()).toBe(LOCAL_CHAIN_ID);
    expect(node.accounts).toHaveLength(10);
    for (const { address, privateKey } of node.accounts) {
      expect(privateKeyToAccount(privateKey).address.toLowerCase()).toBe(address.toLowerCase());
      expect(await chain.getBalance({ address })).toBeGreaterThanOrEqual(parseEther('9999'));
    }
  });

  it('mines each transaction into its own block at once, and mine() adds empty blocks', async () => {
    const before = await chain.getBlockNumber();
    // Mined without anyone asking for a block (automine): else no receipt within the 5 s.
    const receipt = await send(1, node.accounts[2].address, '1');
    expect(receipt).toMatchObject({ status: 'success', blockNumber: before + 1n });

    await mine(node, 5);
    expect(await chain.getBlockNumber()).toBe(before + 6n);
  });

  it('goes back to a snapshot: blocks and balances as they were; a snapshot serves once', async () => {
    const recipient = node.accounts[3].address;
    const id = await snapshot(node);
    const [blockBefore, balanceBefore] = await Promise.all([chain.getBlockNumber(), chain.getBalance({ address: recipient })]);

    await send(4, recipient, '2');
    await mine(node, 3);
    expect(await chain.getBalance({ address: recipient })).toBe(balanceBefore + parseEther('2'));

    await revert(node, id);
    expect(await chain.getBlockNumber()).toBe(blockBefore);
    expect(await chain.getBalance({ address: recipient })).toBe(balanceBefore);
    await expect(revert(node, id)).rejects.toThrow(/evm_revert/);
  });

  it('runs beside another node on a port of its own; stop() ends it', async () => {
    const other = await startEvmNode();
    try {
      expect(other.rpcUrl).not.toBe(node.rpcUrl);
      await send(5, node.accounts[6].address, '1');
      // Separate chains: the other node saw nothing of it.
      const otherChain = createPublicClient({ transport: http(other.rpcUrl) });
      expect(await otherChain.getBlockNumber()).toBe(0n);
    } finally {
      await other.stop();
    }
    expect(await refused(other.rpcUrl)).toBe(true);
  });

  it('dies with a test process that ends without stopping it', async () => {
    const run = spawnSync(process.execPath, ['-e', FORGETFUL_SUITE], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await refused(run.stdout)).toBe(true);
  });
});
