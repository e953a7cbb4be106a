import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keystore } from 'ox';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import type { ContextName } from '../../libs/contracts/message';
import { EnvReader } from './app-config';
import { receiptsOf } from './receipts-config';
import { web3Of } from './web3-config';

const CONTRACT = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const KEY = generatePrivateKey();
const PASSWORD = 'correct horse battery staple';
const CHAINS = JSON.stringify([
  { id: 31337, rpcUrl: 'http://127.0.0.1:8545', receiptContract: CONTRACT },
  { id: 8453, rpcUrl: 'https://base.example' },
]);

/** The receipts settings of `env`, where `modules` run, beside the chains CHAINS enables. */
function read(env: Record<string, string>, modules: ContextName[] = ['receipts']) {
  const reader = new EnvReader({ WEB3_CHAINS: CHAINS, ...env });
  return { receipts: receiptsOf(reader, web3Of(reader), modules), problems: reader.problems };
}

const problemsOf = (env: Record<string, string>): string[] => read(env).problems;

describe(receiptsOf.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'receipts-config-'));
  /** A keystore as a wallet writes it, with a cheap scrypt; `address` as the file gives it. */
  const keystoreFile = (name: string, address = privateKeyToAddress(KEY).slice(2).toLowerCase()): string => {
    const [key, options] = Keystore.scrypt({ password: PASSWORD, n: 1024 });
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ ...Keystore.encrypt(KEY, key, options), address }));
    return path;
  };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('mints nothing by default, waiting two minutes for a mint and asking each second', () => {
    expect(read({ WEB3_CHAINS: '' })).toEqual({ receipts: { mintTimeoutMs: 120_000, pollIntervalMs: 1000 }, problems: [] });
  });

  it("mints on RECEIPTS_CHAIN_ID's receipt contract with RECEIPTS_MINTER_PRIVATE_KEY's account", () => {
    const { receipts } = read({ RECEIPTS_CHAIN_ID: '31337', RECEIPTS_MINTER_PRIVATE_KEY: KEY, RECEIPTS_MINT_TIMEOUT_MS: '5000' });

    expect(receipts.minting?.chain).toMatchObject({ id: 31337, receiptContract: CONTRACT, confirmations: 1 });
    expect(receipts.minting?.minter.address).toBe(privateKeyToAddress(KEY));
    expect(receipts.mintTimeoutMs).toBe(5000);
    // The account signs; nothing in the configuration holds the key itself.
    expect(JSON.stringify(receipts)).not.toContain(KEY.slice(2));
  });

  it('opens the minter’s key from RECEIPTS_MINTER_KEYSTORE with its password', () => {
    const { receipts } = read({
      RECEIPTS_CHAIN_ID: '31337',
      RECEIPTS_MINTER_KEYSTORE: keystoreFile('minter.json'),
      RECEIPTS_MINTER_KEYSTORE_PASSWORD: PASSWORD,
    });

    expect(receipts.minting?.minter.address).toBe(privateKeyToAddress(KEY));
  });

  it('needs no key where receipts does not run', () => {
    expect(read({ RECEIPTS_CHAIN_ID: '31337' }, ['inventory'])).toEqual({ receipts: { mintTimeoutMs: 120_000, pollIntervalMs: 1000 }, problems: [] });
  });

  it.each([
    ['RECEIPTS_CHAIN_ID is set and receipts runs here, so RECEIPTS_MINTER_PRIVATE_KEY or RECEIPTS_MINTER_KEYSTORE must be: the key that mints', { RECEIPTS_CHAIN_ID: '31337' }],
    ['RECEIPTS_CHAIN_ID=1 names no chain of WEB3_CHAINS (enabled: 31337, 8453)', { RECEIPTS_CHAIN_ID: '1', RECEIPTS_MINTER_PRIVATE_KEY: KEY }],
    ['RECEIPTS_CHAIN_ID=8453, but WEB3_CHAINS gives that chain no receiptContract: deploy one (npm run contracts:deploy) and set it', { RECEIPTS_CHAIN_ID: '8453', RECEIPTS_MINTER_PRIVATE_KEY: KEY }],
    ['RECEIPTS_MINTER_PRIVATE_KEY is set, but RECEIPTS_CHAIN_ID is not: it names the chain receipts are minted on', { RECEIPTS_MINTER_PRIVATE_KEY: KEY }],
    ['RECEIPTS_MINTER_PRIVATE_KEY and RECEIPTS_MINTER_KEYSTORE are both set: set one', { RECEIPTS_CHAIN_ID: '31337', RECEIPTS_MINTER_PRIVATE_KEY: KEY, RECEIPTS_MINTER_KEYSTORE: '/minter.json' }],
    ['RECEIPTS_MINTER_PRIVATE_KEY must be a secp256k1 private key: 0x and 64 hex digits', { RECEIPTS_CHAIN_ID: '31337', RECEIPTS_MINTER_PRIVATE_KEY: `${KEY}00` }],
    ['RECEIPTS_MINTER_PRIVATE_KEY must be a secp256k1 private key: 0x and 64 hex digits', { RECEIPTS_CHAIN_ID: '31337', RECEIPTS_MINTER_PRIVATE_KEY: `0x${'f'.repeat(64)}` }],
    ['RECEIPTS_CHAIN_ID must be an integer from 1 to 9007199254740991 (got "base")', { RECEIPTS_CHAIN_ID: 'base' }],
  ])('refuses: %s', (problem: string, env: Record<string, string>) => {
    const problems = problemsOf(env);
    expect(problems).toContain(problem);
    expect(problems.join('\n')).not.toContain(KEY.slice(2));
  });

  it('refuses a keystore its password does not open, one without a password, and one it cannot read, naming the file only', () => {
    const path = keystoreFile('wrong.json');
    const common = { RECEIPTS_CHAIN_ID: '31337' };
    const wrong = problemsOf({ ...common, RECEIPTS_MINTER_KEYSTORE: path, RECEIPTS_MINTER_KEYSTORE_PASSWORD: 'tr0ub4dor&3' });

    expect(wrong).toEqual([
      `RECEIPTS_MINTER_KEYSTORE ${path} does not open with RECEIPTS_MINTER_KEYSTORE_PASSWORD: the password does not open it (its MAC does not match)`,
    ]);
    expect(problemsOf({ ...common, RECEIPTS_MINTER_KEYSTORE: path })).toEqual([
      'RECEIPTS_MINTER_KEYSTORE is set, so RECEIPTS_MINTER_KEYSTORE_PASSWORD must be too: the password that opens it',
    ]);
    expect(problemsOf({ ...common, RECEIPTS_MINTER_KEYSTORE: join(dir, 'missing.json'), RECEIPTS_MINTER_KEYSTORE_PASSWORD: PASSWORD })).toEqual([
      `RECEIPTS_MINTER_KEYSTORE names ${join(dir, 'missing.json')}, which cannot be read (ENOENT)`,
    ]);
    expect(wrong.join()).not.toContain('tr0ub4dor');
  });

  it('refuses a keystore whose address field is not its key’s', () => {
    const path = keystoreFile('other-address.json', 'f39fd6e51aad88f6f4ce6ab8827279cfffb92266');

    expect(problemsOf({ RECEIPTS_CHAIN_ID: '31337', RECEIPTS_MINTER_KEYSTORE: path, RECEIPTS_MINTER_KEYSTORE_PASSWORD: PASSWORD })).toEqual([
      `RECEIPTS_MINTER_KEYSTORE ${path}: its address field is not the address of the key it holds`,
    ]);
  });
});
