import { BaseError, createPublicClient, http, isAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ChainClients, deployOrderReceipt, deployTestStablecoin, KNOWN_CHAINS } from '../libs/chain';
import { isStartupError } from '../libs/startup';
import { UsageError } from './command-line';

const KEY_VARIABLE = 'DEPLOYER_PRIVATE_KEY';

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

function addressOption(argv: string[], name: string, fallback: `0x${string}`): `0x${string}` {
  const value = option(argv, name) ?? fallback;
  if (!isAddress(value, { strict: true })) throw new UsageError(`${name} must be an address, 0x and 40 hex digits (got "${value}")`);
  return value;
}

/** The deployer's key, from the environment only (never an argument, which `ps` shows); never printed. */
function deployerKey(): `0x${string}` {
  const key = process.env[KEY_VARIABLE];
  if (key === undefined || key === '') throw new UsageError(`${KEY_VARIABLE} must hold the deployer's private key`);
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError(`${KEY_VARIABLE} must be 0x and 64 hex digits`);
  return key as `0x${string}`;
}

/**
 * `npm run contracts:deploy -- --rpc-url URL [--base-uri URI] [--admin 0x…] [--minter 0x…]`:
 * deploys a TestStablecoin and an OrderReceipt to the chain at URL, signed with the key in
 * DEPLOYER_PRIVATE_KEY, and prints their addresses as JSON once their transactions are mined. The
 * receipt's admin and minter are the deployer unless named. TestStablecoin is for tests and local
 * development: the local chain of the compose web3 profile, or a test network.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const rpcUrl = option(argv, '--rpc-url');
  if (rpcUrl === undefined || !URL.canParse(rpcUrl) || !['http:', 'https:'].includes(new URL(rpcUrl).protocol)) {
    throw new UsageError('--rpc-url must be the http:// or https:// URL of the chain\'s JSON-RPC endpoint');
  }
  const key = deployerKey();
  const deployer = privateKeyToAccount(key).address;
  const admin = addressOption(argv, '--admin', deployer);
  const minter = addressOption(argv, '--minter', deployer);
  const baseUri = option(argv, '--base-uri') ?? 'http://localhost:3000/api/v1/receipts/';

  const id = await createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) }).getChainId();
  const chains = new ChainClients([{ id, name: KNOWN_CHAINS[id]?.name ?? `Chain ${id}`, rpcUrl, confirmations: 1, tokens: {} }]);
  try {
    const wallet = chains.walletClient(id, key);
    const reader = chains.publicClient(id);
    const testStablecoin = await deployTestStablecoin(wallet, reader, { name: 'Test USD Coin', symbol: 'TUSDC' });
    const orderReceipt = await deployOrderReceipt(wallet, reader, { name: 'Order Receipt', symbol: 'RCPT', baseUri, admin, minter });
    process.stdout.write(`${JSON.stringify({ chainId: id, testStablecoin, orderReceipt })}\n`);
  } finally {
    chains.onApplicationShutdown();
  }
}

/** One line; viem's short message without its request dump, and the key cut out of anything said. */
function report(error: unknown): string {
  const message = isStartupError(error)
    ? error.message
    : error instanceof BaseError
      ? `${error.shortMessage}${error.details ? ` (${error.details})` : ''}`
      : error instanceof Error
        ? error.message
        : String(error);
  const key = process.env[KEY_VARIABLE]?.replace(/^0x/i, '');
  return key ? message.replace(new RegExp(key, 'gi'), '<DEPLOYER_PRIVATE_KEY>') : message;
}

main().catch((error: unknown) => {
  process.stderr.write(`contracts:deploy: ${report(error)}\n`);
  process.exit(1);
});
