import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleFiles } from './console-files';

const builds: string[] = [];

/** A directory laid out as `vite build` leaves dist/console: the page, hashed assets, public files and the manifest. */
function build(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'console-build-'));
  builds.push(directory);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(directory, path, '..'), { recursive: true });
    writeFileSync(join(directory, path), content);
  }
  return directory;
}

const BUILT = {
  'index.html': '<!doctype html>',
  '.vite/manifest.json': '{}',
  'assets/index-3f2a9c.js': 'export {}',
  'favicon.svg': '<svg/>',
};

describe(ConsoleFiles.name, () => {
  const files = new ConsoleFiles(build(BUILT));

  afterAll(() => {
    for (const directory of builds) rmSync(directory, { recursive: true, force: true });
  });

  it('answers the page for the console itself and for any page path it routes', async () => {
    for (const path of ['', 'orders', 'orders/', 'orders/0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f', 'dead-letters']) {
      await expect(files.find(path)).resolves.toEqual({ kind: 'file', path: 'index.html', hashed: false });
    }
  });

  it('answers the files of the build, the hashed assets marked as such', async () => {
    await expect(files.find('assets/index-3f2a9c.js')).resolves.toEqual({ kind: 'file', path: 'assets/index-3f2a9c.js', hashed: true });
    await expect(files.find('favicon.svg')).resolves.toEqual({ kind: 'file', path: 'favicon.svg', hashed: false });
  });

  it('finds nothing for a missing asset or file, a hidden file, or a path out of the build', async () => {
    for (const path of ['assets/index-0000.js', 'assets/', 'robots.txt', '.vite/manifest.json', '../package.json', 'orders/../../secret', 'a//b']) {
      await expect(files.find(path)).resolves.toEqual({ kind: 'missing' });
    }
  });

  it("is not built where Vite's manifest or the page is missing, as in the console's sources", async () => {
    const sources = new ConsoleFiles(build({ 'index.html': '<script type="module" src="/src/main.tsx"></script>', 'src/main.tsx': '' }));
    await expect(sources.find('')).resolves.toEqual({ kind: 'not-built' });
    await expect(new ConsoleFiles(build({ '.vite/manifest.json': '{}' })).find('orders')).resolves.toEqual({ kind: 'not-built' });
    await expect(new ConsoleFiles(join(tmpdir(), 'no-such-console-build')).find('')).resolves.toEqual({ kind: 'not-built' });
  });
});
