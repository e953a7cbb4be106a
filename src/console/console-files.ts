import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Where `npm run build` puts the console: dist/console, beside the compiled service in dist/src. */
export const CONSOLE_BUILD_DIRECTORY = join(__dirname, '..', '..', 'console');

/** Vite's manifest, written by every build: tells a build from the console's sources, which have an index.html too. */
const BUILD_MANIFEST = join('.vite', 'manifest.json');

/** What a path under /console is answered with. */
export type ConsoleFile =
  /** A file of the build, relative to its directory; `hashed` when its name changes with its content. */
  | { kind: 'file'; path: string; hashed: boolean }
  | { kind: 'missing' }
  | { kind: 'not-built' };

/** A segment no file of the build is reached through: empty, `.`/`..`, or hidden (`.vite`). */
const FORBIDDEN_SEGMENT = /^(\.|$)/;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Maps paths under /console to the files of the console's build. The page routes its own paths
 * (/console/orders/…), so a path that names no file and does not look like one is the page itself.
 * Vite names what it emits under assets/ after its content: a missing asset is a 404, never the
 * page, which the browser would then try to run as a script.
 */
export class ConsoleFiles {
  constructor(readonly directory: string) {}

  async find(requested: string): Promise<ConsoleFile> {
    if (!(await isFile(join(this.directory, BUILD_MANIFEST))) || !(await isFile(join(this.directory, 'index.html')))) {
      return { kind: 'not-built' };
    }
    const trimmed = requested.replace(/\/$/, '');
    const segments = trimmed === '' ? [] : trimmed.split('/');
    if (segments.some((segment) => FORBIDDEN_SEGMENT.test(segment))) return { kind: 'missing' };
    const path = segments.join('/');
    const hashed = segments[0] === 'assets';
    if (path !== '' && (await isFile(join(this.directory, path)))) return { kind: 'file', path, hashed };
    if (hashed || segments.at(-1)?.includes('.')) return { kind: 'missing' };
    return { kind: 'file', path: 'index.html', hashed: false };
  }
}
