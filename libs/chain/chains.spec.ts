import { getAddress } from 'viem';
import { KNOWN_CHAINS, parseChainSettings } from './chains';

const USDC_ON_BASE = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913';
const RECEIPTS = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const TOKEN = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';

const parse = (entries: unknown) => parseChainSettings(JSON.stringify(entries));

describe(parseChainSettings.name, () => {
  it('enables a known chain with its endpoint alone: its name, confirmations and Circle tokens come from the code', () => {
    const { chains, problems } = parse([{ id: 8453, rpcUrl: 'https://base.example/v2/key' }]);

    expect(problems).toEqual([]);
    expect(chains).toEqual([
      {
        id: 8453,
        name: 'Base',
        rpcUrl: 'https://base.example/v2/key',
        confirmations: 10,
        tokens: { USDC: { address: USDC_ON_BASE, decimals: 6 }, EURC: { address: '0x60a3E35Cc302bFA44Cb288Bc5a4F316Fdb1adb42', decimals: 6 } },
      },
    ]);
  });

  it('lets an entry override confirmations, replace or add tokens by symbol, and name its receipt contract', () => {
    const { chains, problems } = parse([
      {
        id: 1,
        rpcUrl: 'http://eth.internal:8545',
        confirmations: 64,
        tokens: { USDC: { address: TOKEN.toLowerCase(), decimals: 6 }, PYUSD: { address: RECEIPTS, decimals: 6 } },
        receiptContract: RECEIPTS.toLowerCase(),
      },
    ]);

    expect(problems).toEqual([]);
    expect(chains[0]).toMatchObject({
      name: 'Ethereum',
      confirmations: 64,
      // Addresses come back checksummed, whatever case they were given in.
      tokens: { USDC: { address: TOKEN }, EURC: KNOWN_CHAINS[1].tokens.EURC, PYUSD: { address: RECEIPTS } },
      receiptContract: RECEIPTS,
    });
  });

  it('takes a chain it does not know when told its confirmations, under its own name or a made-up one', () => {
    const { chains, problems } = parse([
      { id: 42161, name: 'Arbitrum One', rpcUrl: 'https://arb.example', confirmations: 20 },
      { id: 10, rpcUrl: 'https://op.example', confirmations: 10, tokens: { USDC: { address: TOKEN, decimals: 6 } } },
    ]);

    expect(problems).toEqual([]);
    expect(chains.map(({ id, name, tokens }) => [id, name, Object.keys(tokens)])).toEqual([
      [42161, 'Arbitrum One', []],
      [10, 'Chain 10', ['USDC']],
    ]);
  });

  it('describes the local chain with one confirmation and no token: its TestStablecoin is deployed per run', () => {
    const { chains } = parse([{ id: 31337, rpcUrl: 'http://127.0.0.1:8545', tokens: { USDC: { address: TOKEN, decimals: 6 } } }]);

    expect(chains[0]).toMatchObject({ name: 'Local development chain', confirmations: 1, tokens: { USDC: { address: TOKEN, decimals: 6 } } });
  });

  it('knows every token by its checksummed address, six decimals each', () => {
    const tokens = Object.values(KNOWN_CHAINS).flatMap((chain) => Object.values(chain.tokens));
    expect(tokens).toHaveLength(5);
    for (const { address, decimals } of tokens) {
      expect(getAddress(address)).toBe(address);
      expect(decimals).toBe(6);
    }
  });

  it.each([
    ['not JSON', '[{id: 1}]', 'WEB3_CHAINS must be JSON'],
    ['no array', '{"id": 1}', 'WEB3_CHAINS must be a JSON array of 1 to 20 chains'],
    ['an empty array', '[]', 'WEB3_CHAINS must be a JSON array of 1 to 20 chains'],
    ['too many chains', JSON.stringify(Array.from({ length: 21 }, (_, i) => ({ id: i + 100, rpcUrl: 'http://x', confirmations: 1 }))), 'WEB3_CHAINS must be a JSON array of 1 to 20'],
    ['a huge value', `[${' '.repeat(70_000)}]`, 'WEB3_CHAINS must be at most 65536 characters'],
  ])('refuses %s as a whole', (_, raw, problem) => {
    expect(parseChainSettings(raw)).toEqual({ chains: [], problems: [expect.stringContaining(problem)] });
  });

  it.each([
    ['WEB3_CHAINS[0].rpcUrl must be an http:// or https:// URL', { id: 8453 }],
    ['WEB3_CHAINS[0].rpcUrl', { id: 8453, rpcUrl: 'wss://base.example' }],
    ['WEB3_CHAINS[0].rpcUrl', { id: 8453, rpcUrl: `https://base.example/${'k'.repeat(2100)}` }],
    ['WEB3_CHAINS[0].id must be an integer from 1', { id: '8453', rpcUrl: 'https://base.example' }],
    ['WEB3_CHAINS[0].id', { id: 0, rpcUrl: 'https://base.example' }],
    ['WEB3_CHAINS[0].confirmations is required for chain 42161', { id: 42161, rpcUrl: 'https://arb.example' }],
    ['WEB3_CHAINS[0].confirmations must be an integer from 1 to 10000', { id: 1, rpcUrl: 'https://eth.example', confirmations: 0 }],
    ['WEB3_CHAINS[0].confirmations', { id: 1, rpcUrl: 'https://eth.example', confirmations: 1.5 }],
    ['WEB3_CHAINS[0] has unknown fields rpc', { id: 1, rpcUrl: 'https://eth.example', rpc: 'https://eth.example' }],
    ['WEB3_CHAINS[0].name must be a name of 1 to 64 characters', { id: 1, rpcUrl: 'https://eth.example', name: '' }],
    ['WEB3_CHAINS[0].receiptContract must be an address', { id: 1, rpcUrl: 'https://eth.example', receiptContract: '0x1234' }],
    // One character's case changed: the checksum no longer matches.
    ['WEB3_CHAINS[0].receiptContract must be an address', { id: 1, rpcUrl: 'https://eth.example', receiptContract: RECEIPTS.replace('F', 'f') }],
    ['WEB3_CHAINS[0].tokens must be an object of at most 20 tokens', { id: 1, rpcUrl: 'https://eth.example', tokens: [] }],
    ['WEB3_CHAINS[0].tokens.US DC is no token symbol', { id: 1, rpcUrl: 'https://eth.example', tokens: { 'US DC': { address: TOKEN, decimals: 6 } } }],
    ['WEB3_CHAINS[0].tokens.USDC.decimals must be an integer from 0 to 36', { id: 1, rpcUrl: 'https://eth.example', tokens: { USDC: { address: TOKEN, decimals: 37 } } }],
    ['WEB3_CHAINS[0].tokens.USDC.address must be an address', { id: 1, rpcUrl: 'https://eth.example', tokens: { USDC: { address: 'usdc', decimals: 6 } } }],
    ['WEB3_CHAINS[0].tokens.USDC has unknown fields name', { id: 1, rpcUrl: 'https://eth.example', tokens: { USDC: { address: TOKEN, decimals: 6, name: 'x' } } }],
  ])('refuses an entry, saying: %s', (problem, entry) => {
    const { chains, problems } = parse([entry]);

    expect(problems).toEqual([expect.stringContaining(problem)]);
    expect(chains).toEqual([]);
  });

  it('names every bad field of every entry at once, and a chain given twice', () => {
    const { problems } = parse([
      { id: 1, rpcUrl: 'https://eth.example' },
      { id: 137, rpcUrl: 'ftp://polygon.example', confirmations: -1 },
      { id: 1, rpcUrl: 'https://eth-2.example' },
    ]);

    expect(problems).toEqual([
      expect.stringContaining('WEB3_CHAINS[1].rpcUrl'),
      expect.stringContaining('WEB3_CHAINS[1].confirmations'),
      'WEB3_CHAINS names chain 1 more than once',
    ]);
  });

  it('never repeats an endpoint in a problem: its path may hold an API key', () => {
    const { problems } = parse([{ id: 1, rpcUrl: 'ftp://eth.example/v2/secret-api-key' }]);

    expect(problems.join('\n')).not.toContain('secret-api-key');
  });
});
