import { dirname, extname, join, relative } from 'node:path';

/** The project's root when this runs from the sources (under Jest); unused from the build. */
const SOURCE_ROOT = join(__dirname, '..', '..');

/**
 * The compiled file of `path`, a module beside `moduleFile` (pass `__filename`): beside it in the
 * build. Under Jest the sources run as TypeScript, which a worker thread cannot load; there it is
 * the build's copy in dist/, which Jest's global setup brings up to date (scripts/compile.cjs).
 */
export function compiledSibling(moduleFile: string, path: string): string {
  const sibling = join(dirname(moduleFile), `${path}.js`);
  return extname(moduleFile) === '.ts' ? join(SOURCE_ROOT, 'dist', relative(SOURCE_ROOT, sibling)) : sibling;
}
