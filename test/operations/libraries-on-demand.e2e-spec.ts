import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort } from '../support/app-process';
import { serviceDatabase } from '../support/service-database';

const DIST = join(process.cwd(), 'dist');

/** Runs `script` in a new node process at the root of the build; answers what it printed, as JSON. */
function inBuild<T>(script: string): T {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: DIST, encoding: 'utf8' })) as T;
}

/** The packages `.swcrc` has the build require on first use, by the folder each is installed in. */
const LAZY_PACKAGES = [
  ...new Set(
    (JSON.parse(readFileSync(join(process.cwd(), '.swcrc'), 'utf8')) as { module: { lazy: string[] } }).module.lazy.map((name) =>
      name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/'),
    ),
  ),
];

/** A script's expression: the packages of `names` that have a file loaded. */
const loadedOf = (names: string[]) =>
  `${JSON.stringify(names)}.filter((name) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + name + '/')))`;

/**
 * viem and ox hold about 10 MB of the process while no chain is enabled, the default, and the
 * others serve a first provider call, an SMTP server, crypto transfers, pretty logs or a progress
 * bar: the build loads them on first use (docs/decisions/0063, 0064). A module that used one when
 * loaded (a class extending one of theirs, a constant computed with them) would load it again for
 * everyone.
 */
describe('The libraries the build loads on first use', () => {
  it('are not loaded by loading the application', () => {
    expect(LAZY_PACKAGES).toEqual(expect.arrayContaining(['viem', 'ox', 'undici', 'nodemailer']));
    expect(inBuild<string[]>(`require('./src/app.module.js'); process.stdout.write(JSON.stringify(${loadedOf(LAZY_PACKAGES)}))`)).toEqual([]);
  });

  it('are loaded when first used, and work', () => {
    const { before, after, address } = inBuild<{ before: string[]; after: string[]; address: string }>(`
      const { parseChainSettings } = require('./libs/chain/index.js');
      const before = ${loadedOf(['viem'])};
      const { chains } = parseChainSettings(JSON.stringify([{ id: 31337, rpcUrl: 'http://127.0.0.1:8545',
        receiptContract: '0x5fbdb2315678afecb367f032d93f642f64180aa3' }]));
      process.stdout.write(JSON.stringify({ before, after: ${loadedOf(['viem'])}, address: chains[0].receiptContract }));
    `);
    expect(before).toEqual([]);
    expect(after).toEqual(['viem']);
    // viem's checksum of the address: its code ran.
    expect(address).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
  });

  it('stay out of the bundled service, which requires them from node_modules when first used', () => {
    expect(bundled('@nestjs/core')).toBe(true);
    expect(LAZY_PACKAGES.filter(bundled)).toEqual([]);
  });
});

/** Whether the bundled service was made of files of `name`, by its source map (scripts/compile.cjs). */
function bundled(name: string): boolean {
  const { sources } = JSON.parse(readFileSync(join(DIST, 'service.js.map'), 'utf8')) as { sources: string[] };
  return sources.some((file) => file.includes(`node_modules/${name}/`));
}

/**
 * A package in the bundle and also required from node_modules runs as two copies that do not know
 * each other: TypeORM required its own pg, whose pool the search index did not recognise as one, so
 * no search was prepared; @nestjs/mapped-types required its own class-validator and
 * class-transformer (docs/decisions/0073).
 */
describe('The bundled service', () => {
  it('requires from node_modules none of the packages it was bundled with', async () => {
    const database = await serviceDatabase();
    const reportDir = mkdtempSync(join(tmpdir(), 'loaded-packages-'));
    const report = join(reportDir, 'packages.json');
    const app = new AppProcess(await freePort(), {
      ...database.env,
      SEED_DEMO: 'false',
      NODE_OPTIONS: `--require ${join(__dirname, '..', 'support', 'report-loaded-packages.cjs')}`,
      LOADED_PACKAGES_FILE: report,
    });
    try {
      await app.start();
      expect((await fetch(`${app.url}/api/v1/products?q=phone`)).status).toBe(200);
      // Written as escapes in the bundle (below), the text is the same.
      expect(await (await fetch(`${app.url}/docs-json`)).text()).toContain('Up to 50 keys of 1–64 letters, digits, _ or -; values are strings (≤ 500)');
      await app.stop();
      const loaded = JSON.parse(readFileSync(report, 'utf8')) as string[];
      // Loaded from node_modules by design: pino, OpenTelemetry, argon2 (scripts/compile.cjs).
      expect(loaded).toEqual(expect.arrayContaining(['pino', '@opentelemetry/api']));
      expect(loaded.filter(bundled)).toEqual([]);
    } finally {
      await app.stop();
      rmSync(reportDir, { recursive: true, force: true });
      await database.drop();
    }
  });

  /**
   * V8 keeps a script's source for as long as its functions live, a byte a character only when
   * every character fits in one (Latin-1); one character past it doubled the 9 MB source, which
   * comments of a few packages made: non-ASCII characters are written as escapes and JSDoc left out.
   */
  it('is text of one byte a character', () => {
    const source = readFileSync(join(DIST, 'service.js'), 'utf8');
    const wide = [...source.matchAll(/[\u0100-\uffff]/g)].slice(0, 5).map(({ index }) => source.slice(index - 40, index + 10));
    expect(wide).toEqual([]);
  });
});
