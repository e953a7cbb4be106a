import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createPublicClient, getAddress, http, type PublicClient } from 'viem';
import { DEFAULT_ADMIN_ROLE, MINTER_ROLE, OrderReceiptAbi, TestStablecoinAbi } from '../../libs/chain';
import { freePort } from '../support/app-process';
import { EvmNode, startEvmNode } from '../support/evm-node';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run contracts:deploy -- <args>` as the built script runs it, with `key` in DEPLOYER_PRIVATE_KEY. */
function deploy(args: string[], key?: string): Promise<Run> {
  const env = { ...process.env, DEPLOYER_PRIVATE_KEY: key };
  if (key === undefined) delete env.DEPLOYER_PRIVATE_KEY;
  const child = spawn(process.execPath, [join('dist', 'src', 'deploy-contracts.js'), ...args], { env, timeout: 120_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('npm run contracts:deploy', () => {
  let node: EvmNode;
  let chain: PublicClient;
  let key: `0x${string}`;
  let deployer: `0x${string}`;

  beforeAll(async () => {
    node = await startEvmNode();
    chain = createPublicClient({ transport: http(node.rpcUrl) });
    ({ privateKey: key, address: deployer } = node.accounts[0]);
  });

  afterAll(() => node?.stop());

  it('deploys TestStablecoin and OrderReceipt to the chain at --rpc-url and prints their addresses as JSON', async () => {
    const minter = getAddress(node.accounts[1].address);
    const run = await deploy(['--rpc-url', node.rpcUrl, '--minter', minter, '--base-uri', 'https://shop.example/r/'], key);

    expect(run).toMatchObject({ status: 0, stderr: '' });
    const printed = JSON.parse(run.stdout);
    expect(Object.keys(printed)).toEqual(['chainId', 'testStablecoin', 'orderReceipt']);
    expect(printed.chainId).toBe(31337);
    const { testStablecoin, orderReceipt } = printed as { testStablecoin: `0x${string}`; orderReceipt: `0x${string}` };
    expect(await chain.readContract({ address: testStablecoin, abi: TestStablecoinAbi, functionName: 'decimals' })).toBe(6);
    expect(await chain.readContract({ address: testStablecoin, abi: TestStablecoinAbi, functionName: 'owner' })).toBe(getAddress(deployer));
    const hasRole = (role: `0x${string}`, account: `0x${string}`) =>
      chain.readContract({ address: orderReceipt, abi: OrderReceiptAbi, functionName: 'hasRole', args: [role, account] });
    expect(await hasRole(MINTER_ROLE, minter)).toBe(true);
    // The admin is the deployer unless --admin names another.
    expect(await hasRole(DEFAULT_ADMIN_ROLE, deployer)).toBe(true);
    expect(`${run.stdout}${run.stderr}`).not.toContain(key.slice(2));
  });

  it('refuses to run without a well-formed key in DEPLOYER_PRIVATE_KEY or without --rpc-url, and never repeats the key', async () => {
    const sent = await chain.getTransactionCount({ address: deployer });
    const missing = await deploy(['--rpc-url', node.rpcUrl]);
    expect(missing).toMatchObject({ status: 1, stdout: '', stderr: "contracts:deploy: DEPLOYER_PRIVATE_KEY must hold the deployer's private key\n" });

    const short = key.slice(0, 40);
    const malformed = await deploy(['--rpc-url', node.rpcUrl], short);
    expect(malformed).toMatchObject({ status: 1, stderr: 'contracts:deploy: DEPLOYER_PRIVATE_KEY must be 0x and 64 hex digits\n' });

    const noUrl = await deploy([], key);
    expect(noUrl.status).toBe(1);
    expect(noUrl.stderr).toContain('--rpc-url must be the http:// or https:// URL');
    // Refused before anything was sent.
    expect(await chain.getTransactionCount({ address: deployer })).toBe(sent);
  });

  it('fails in one line, without the key, when the chain does not answer', async () => {
    const run = await deploy(['--rpc-url', `http://127.0.0.1:${await freePort()}`], key);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^contracts:deploy: HTTP request failed\.[^\n]*\n$/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(key.slice(2));
  });
});
