import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A local EVM JSON-RPC node for a suite: Foundry's anvil from npm (docs/decisions/0049). */
export interface EvmNode {
  rpcUrl: string;
  chainId: number;
  /** Funded dev accounts (10,000 ETH each), the node's own, whose keys sign without a wallet. */
  accounts: { address: `0x${string}`; privateKey: `0x${string}` }[];
  stop(): Promise<void>;
}

export const LOCAL_CHAIN_ID = 31337;

/** anvil's platform packages, as @foundry-rs/anvil names them (its postinstall is not run: package.json's allowScripts). */
const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
};

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_KEPT_CHARS = 4_000;

/**
 * The native binary itself, not the package's Node wrapper, so the child's PID is the node's: a
 * stop or a kill reaches it, and no second process is left behind.
 */
function anvilBinary(): string {
  const name = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (name === undefined) throw new Error(`anvil has no npm build for ${process.platform}-${process.arch}`);
  const packageDir = dirname(require.resolve(`${name}/package.json`));
  return join(packageDir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
}

async function call<T>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { result?: T; error?: { code: number; message: string } };
  if (body.error !== undefined) throw new Error(`${method} failed: ${body.error.message} (${body.error.code})`);
  return body.result as T;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts a node on a port the system picks (so suites run side by side): chain id 31337, a block
 * mined for each transaction, ten funded accounts. Resolves once it answers `eth_chainId`. The
 * node dies with the test process if the suite forgets `stop()`.
 */
export async function startEvmNode(): Promise<EvmNode> {
  const workDir = mkdtempSync(join(tmpdir(), 'evm-node-'));
  const accountsFile = join(workDir, 'accounts.json');
  const child = spawn(
    anvilBinary(),
    ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(LOCAL_CHAIN_ID), '--accounts', '10', '--config-out', accountsFile],
    // HOME in the work directory: anything the node caches goes away with it.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: workDir } },
  );
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  const killOnExit = (): void => {
    kill();
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS);
  };
  // Read to the end: the node logs every call, and a full pipe would stall it.
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const cleanUp = (): void => {
    process.removeListener('exit', killOnExit);
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`anvil did not listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const listening = (): void => {
        const found = /Listening on (\S+:\d+)/.exec(output)?.[1];
        if (found === undefined) return;
        clearTimeout(timer);
        child.stdout.off('data', listening);
        resolve(found);
      };
      child.stdout.on('data', listening);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`anvil exited (${signal ?? code}) before it listened`));
      });
    });
    const rpcUrl = `http://${address}`;
    const chainId = Number(await call<string>(rpcUrl, 'eth_chainId'));
    const written = JSON.parse(readFileSync(accountsFile, 'utf8')) as { available_accounts: string[]; private_keys: string[] };
    const accounts = written.available_accounts.map((address, index) => ({
      address: address as `0x${string}`,
      privateKey: written.private_keys[index] as `0x${string}`,
    }));
    return {
      rpcUrl,
      chainId,
      accounts,
      async stop() {
        const done = exited(child);
        child.kill('SIGTERM');
        const timer = setTimeout(kill, STOP_TIMEOUT_MS);
        await done;
        clearTimeout(timer);
        cleanUp();
      },
    };
  } catch (error) {
    // A binary that could not be spawned has no process to wait for.
    if (child.pid !== undefined) {
      kill();
      await exited(child);
    }
    cleanUp();
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
}

/** Mines `blocks` empty blocks at once. */
export async function mine(node: EvmNode, blocks = 1): Promise<void> {
  await call(node.rpcUrl, 'anvil_mine', [`0x${blocks.toString(16)}`]);
}

/** The chain's state now, to go back to with `revert`. */
export function snapshot(node: EvmNode): Promise<`0x${string}`> {
  return call(node.rpcUrl, 'evm_snapshot');
}

/** Back to `id`'s state (blocks, balances, contracts). A snapshot serves once: take another to go back again. */
export async function revert(node: EvmNode, id: `0x${string}`): Promise<void> {
  if (!(await call<boolean>(node.rpcUrl, 'evm_revert', [id]))) throw new Error(`evm_revert: no snapshot ${id}`);
}
