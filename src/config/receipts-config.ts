import { readFileSync } from 'node:fs';
import { isAddressEqual, type LocalAccount } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { KeystoreError, openKeystore } from '../../libs/chain';
import type { ContextName } from '../../libs/contracts/message';
import { DEFAULT_RECEIPTS_OPTIONS as DEFAULTS, type ReceiptsOptions } from '../modules/receipts';
import type { Web3Options } from './web3-config';

interface EnvReading {
  readonly problems: string[];
  optional(name: string): string | undefined;
  int(name: string, fallback: number, min: number, max?: number): number;
}

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

/** The account of a private key, or a problem that does not repeat the key. */
function accountOfKey(read: EnvReading, key: string): LocalAccount | undefined {
  try {
    if (PRIVATE_KEY.test(key)) return privateKeyToAccount(key as `0x${string}`);
  } catch {
    // Out of the curve's range: reported below.
  }
  read.problems.push('RECEIPTS_MINTER_PRIVATE_KEY must be a secp256k1 private key: 0x and 64 hex digits');
  return undefined;
}

/** The account of the keystore's key, or a problem that names the file and what is wrong with it, never the password. */
function accountOfKeystore(read: EnvReading, path: string): LocalAccount | undefined {
  const password = read.optional('RECEIPTS_MINTER_KEYSTORE_PASSWORD');
  if (password === undefined) {
    read.problems.push('RECEIPTS_MINTER_KEYSTORE is set, so RECEIPTS_MINTER_KEYSTORE_PASSWORD must be too: the password that opens it');
    return undefined;
  }
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    read.problems.push(`RECEIPTS_MINTER_KEYSTORE names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    return undefined;
  }
  try {
    const account = privateKeyToAccount(openKeystore(json, password));
    const { address } = JSON.parse(json) as { address?: unknown };
    if (typeof address === 'string' && !isAddressEqual(`0x${address.replace(/^0x/, '')}`, account.address)) {
      read.problems.push(`RECEIPTS_MINTER_KEYSTORE ${path}: its address field is not the address of the key it holds`);
      return undefined;
    }
    return account;
  } catch (error) {
    if (!(error instanceof KeystoreError)) throw error;
    read.problems.push(`RECEIPTS_MINTER_KEYSTORE ${path} does not open with RECEIPTS_MINTER_KEYSTORE_PASSWORD: ${error.message}`);
    return undefined;
  }
}

/**
 * NFT receipts: `RECEIPTS_CHAIN_ID` names the chain of WEB3_CHAINS whose `receiptContract` holds
 * them; unset, orders are recorded and nothing is minted. Where receipts runs, the minter's key is
 * `RECEIPTS_MINTER_PRIVATE_KEY` (0x + 64 hex digits) or the Ethereum V3 keystore file that
 * `RECEIPTS_MINTER_KEYSTORE` names, opened at start with `RECEIPTS_MINTER_KEYSTORE_PASSWORD`. A
 * process that does not host receipts neither needs nor reads the key. No problem repeats a key
 * or a password.
 */
export function receiptsOf(read: EnvReading, web3: Web3Options, modules: readonly ContextName[]): ReceiptsOptions {
  const timing = {
    mintTimeoutMs: read.int('RECEIPTS_MINT_TIMEOUT_MS', DEFAULTS.mintTimeoutMs, 1000, 3_600_000),
    pollIntervalMs: read.int('RECEIPTS_MINT_POLL_MS', DEFAULTS.pollIntervalMs, 10, 60_000),
  };
  const keyVariables = ['RECEIPTS_MINTER_PRIVATE_KEY', 'RECEIPTS_MINTER_KEYSTORE'].filter((name) => read.optional(name) !== undefined);
  if (keyVariables.length > 1) read.problems.push('RECEIPTS_MINTER_PRIVATE_KEY and RECEIPTS_MINTER_KEYSTORE are both set: set one');
  const chainId = read.optional('RECEIPTS_CHAIN_ID') === undefined ? undefined : read.int('RECEIPTS_CHAIN_ID', 0, 1);
  if (chainId === undefined) {
    if (keyVariables.length > 0) read.problems.push(`${keyVariables[0]} is set, but RECEIPTS_CHAIN_ID is not: it names the chain receipts are minted on`);
    return timing;
  }
  const chain = web3.chains.find(({ id }) => id === chainId);
  if (chain === undefined) {
    if (chainId !== 0) {
      const enabled = web3.chains.map(({ id }) => id).join(', ') || 'none';
      read.problems.push(`RECEIPTS_CHAIN_ID=${chainId} names no chain of WEB3_CHAINS (enabled: ${enabled})`);
    }
    return timing;
  }
  const { receiptContract } = chain;
  if (receiptContract === undefined) {
    read.problems.push(`RECEIPTS_CHAIN_ID=${chainId}, but WEB3_CHAINS gives that chain no receiptContract: deploy one (npm run contracts:deploy) and set it`);
    return timing;
  }
  if (!modules.includes('receipts')) return timing;
  const [privateKey, keystore] = [read.optional('RECEIPTS_MINTER_PRIVATE_KEY'), read.optional('RECEIPTS_MINTER_KEYSTORE')];
  if (privateKey === undefined && keystore === undefined) {
    read.problems.push(`RECEIPTS_CHAIN_ID is set and receipts runs here, so RECEIPTS_MINTER_PRIVATE_KEY or RECEIPTS_MINTER_KEYSTORE must be: the key that mints`);
    return timing;
  }
  const minter = privateKey !== undefined ? accountOfKey(read, privateKey) : accountOfKeystore(read, keystore!);
  return minter === undefined ? timing : { ...timing, minting: { chain: { ...chain, receiptContract }, minter } };
}
