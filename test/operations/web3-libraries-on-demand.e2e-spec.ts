import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const DIST = join(process.cwd(), 'dist');

/** Runs `script` in a new node process at the root of the build; answers what it printed, as JSON. */
function inBuild<T>(script: string): T {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: DIST, encoding: 'utf8' })) as T;
}

const LOADED_WEB3 = `Object.keys(require.cache).filter((file) => /node_modules\\/(viem|ox)\\//.test(file)).length`;

/**
 * viem and ox hold about 10 MB of the process while no chain is enabled, the default: the build
 * loads them on first use (docs/decisions/0063). A module that used them when loaded (a class
 * extending one of theirs, a constant computed with them) would load them again for everyone.
 */
describe('The web3 libraries in the build', () => {
  it('are not loaded by loading the application', () => {
    expect(inBuild<number>(`require('./src/app.module.js'); process.stdout.write(String(${LOADED_WEB3}))`)).toBe(0);
  });

  it('are loaded when first used, and work', () => {
    const { before, after, address } = inBuild<{ before: number; after: number; address: string }>(`
      const { parseChainSettings } = require('./libs/chain/index.js');
      const before = ${LOADED_WEB3};
      const { chains } = parseChainSettings(JSON.stringify([{ id: 31337, rpcUrl: 'http://127.0.0.1:8545',
        receiptContract: '0x5fbdb2315678afecb367f032d93f642f64180aa3' }]));
      process.stdout.write(JSON.stringify({ before, after: ${LOADED_WEB3}, address: chains[0].receiptContract }));
    `);
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
    // viem's checksum of the address: its code ran.
    expect(address).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
  });
});
