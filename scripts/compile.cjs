'use strict';
// Compiles src/, libs/ and migrations/ to dist/ with SWC (the options of .swcrc, which mirror
// tsconfig.json's emit: CommonJS, ES2022, legacy decorators with their design-time metadata).
// SWC transforms each file on its own, so only the files whose source changed since the last
// compile are transformed again; outputs of deleted sources are removed (a deleted migration must
// not keep running). It does not check types: that is `npm run typecheck`.
// Usage: node scripts/compile.cjs   (prints nothing when dist/ is up to date)
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const process = require('node:process');

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['src', 'libs', 'migrations'];
const OUT_DIR = path.join(ROOT, 'dist');
const MANIFEST = path.join(OUT_DIR, '.swc-manifest.json');
const SERVICE_BUNDLE = path.join(OUT_DIR, 'service.js');

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Left out of the bundle and required from node_modules when the service runs:
 * - the packages the build loads on first use (module.lazy in .swcrc), so they stay unloaded until then;
 * - those the service loads only when configured (Kafka, MongoDB, Elasticsearch, Redis, trace export);
 * - OpenTelemetry, so its API has one copy with the exporter's;
 * - packages that find files beside their code (PGlite's WebAssembly, Swagger UI's assets, argon2's
 *   and pg-native's binaries, pino's transport threads);
 * - packages those require as well, so that one copy of each runs.
 */
function bundleExternals(swcOptions) {
  const lazy = swcOptions.module.lazy.map((name) => name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/'));
  const whenConfigured = ['kafkajs', 'mongoose', 'mongodb', '@elastic/elasticsearch', '@keyv/redis', '@redis/client'];
  const findOwnFiles = ['@electric-sql/pglite', 'swagger-ui-dist', 'argon2', 'pg-native', 'pino', 'thread-stream'];
  // Required by one of those too (by pino; by @keyv/redis), so bundled they would run as second copies.
  const requiredByExternals = ['pino-std-serializers', 'keyv', '@keyv/serialize', 'hookified'];
  return [...new Set([...lazy, ...whenConfigured, ...findOwnFiles, ...requiredByExternals])]
    .map((name) => new RegExp(`^${escapeRegExp(name)}(/|$)`))
    .concat(/^@opentelemetry\//);
}

/**
 * `__dirname` and `__filename` of our compiled files, as they would be in dist/ file by file: the
 * bundle is one file in dist/, and the code finds its thread entries, the console's build and the
 * ready-made cluster relative to where each of its modules lies.
 */
function placeOfEachModule() {
  const ours = new RegExp(`^${escapeRegExp(OUT_DIR)}/(src|libs|migrations)/`);
  return {
    name: 'place-of-each-module',
    transform(code, id) {
      if (!ours.test(id) || !/\b__(dirname|filename)\b/.test(code)) return null;
      const from = (file) => JSON.stringify(path.relative(OUT_DIR, file));
      // Columns move on those few lines only: the input's source map still holds (map: null).
      const placed = code
        .replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${from(path.dirname(id))})`)
        .replace(/\b__filename\b/g, `require('node:path').join(__dirname, ${from(id)})`);
      return { code: placed, map: null };
    },
  };
}

/**
 * A package that requires others through `createRequire(import.meta.url)` loads them from
 * node_modules at run time, beside the copies in the bundle: @nestjs/mapped-types (through
 * `OmitType`) loaded a second class-validator and class-transformer, whose transformation
 * metadata a second copy does not see. Its plain `require` calls are bundled like its imports.
 */
function requiresOfTheBundle() {
  const runtimeRequire = /^(?:const|let|var) require = createRequire\(import\.meta\.url\);$/m;
  return {
    name: 'requires-of-the-bundle',
    transform(code, id) {
      if (!/\/node_modules\/@nestjs\/mapped-types\//.test(id) || !runtimeRequire.test(code)) return null;
      return { code: code.replace(runtimeRequire, ''), map: null };
    },
  };
}

async function bundleService(swcOptions) {
  const { rolldown } = require('rolldown');
  const bundle = await rolldown({
    input: path.join(OUT_DIR, 'src', 'service.js'),
    platform: 'node',
    external: bundleExternals(swcOptions),
    plugins: [placeOfEachModule(), requiresOfTheBundle()],
    // Optional packages Nest and TypeORM try when configured (other transports, drivers): absent
    // here, they stay requires that run only if asked for.
    onLog(level, log, handler) {
      if (log.code !== 'UNRESOLVED_IMPORT') handler(level, log);
    },
  });
  // Written beside and renamed into place, so a process starting never reads half a bundle.
  const staging = path.join(OUT_DIR, `.bundle-${process.pid}`);
  await bundle.write({
    dir: staging,
    entryFileNames: path.basename(SERVICE_BUNDLE),
    format: 'cjs',
    codeSplitting: false,
    sourcemap: true,
    // V8 holds the source two bytes a character if one character does not fit in one: non-ASCII
    // characters as escapes, and no JSDoc (which keeps them as they are), halve the 19 MB it held.
    charset: 'ascii',
    comments: { jsdoc: false },
  });
  await bundle.close();
  renameSync(path.join(staging, `${path.basename(SERVICE_BUNDLE)}.map`), `${SERVICE_BUNDLE}.map`);
  renameSync(path.join(staging, path.basename(SERVICE_BUNDLE)), SERVICE_BUNDLE);
  rmSync(staging, { recursive: true, force: true });
}

/** The TypeScript sources tsconfig.build.json compiles: no tests, fixtures or declarations. */
function sourceFiles(dir, found = []) {
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') sourceFiles(relative, found);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.spec.ts')) {
      found.push(relative);
    }
  }
  return found;
}

function outputFiles(dir, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) outputFiles(file, found);
    else if (entry.name.endsWith('.js')) found.push(file);
  }
  return found;
}

const hash = (...parts) => createHash('sha1').update(parts.join('\0')).digest('hex');
const outputOf = (source) => path.join(OUT_DIR, source.replace(/\.ts$/, '.js'));

function readManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return { config: '', files: {} };
  }
}

/** Through a temporary file and a rename, so a process starting dist/ never reads half a file. */
function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

async function compile(source, options) {
  const output = outputOf(source);
  const code = readFileSync(path.join(ROOT, source), 'utf8');
  const result = await require('@swc/core').transform(code, {
    ...options,
    filename: path.join(ROOT, source),
    sourceFileName: path.relative(path.dirname(output), path.join(ROOT, source)),
    swcrc: false,
    configFile: false,
  });
  mkdirSync(path.dirname(output), { recursive: true });
  writeAtomically(`${output}.map`, result.map);
  writeAtomically(output, `${result.code.trimEnd()}\n//# sourceMappingURL=${path.basename(output)}.map\n`);
}

async function main() {
  const startedAt = performance.now();
  const swcrc = readFileSync(path.join(ROOT, '.swcrc'), 'utf8');
  // The bundle holds node_modules' code too: a change of the lock file or of a patch bundles again.
  const patches = readdirSync(path.join(ROOT, 'scripts', 'patches')).sort().map((file) => readFileSync(path.join(ROOT, 'scripts', 'patches', file), 'utf8'));
  const config = hash(
    swcrc,
    require('@swc/core/package.json').version,
    require('rolldown/package.json').version,
    readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'),
    ...patches,
    readFileSync(__filename, 'utf8'),
  );
  const previous = readManifest();
  const sources = SOURCE_DIRS.flatMap((dir) => sourceFiles(dir));
  const files = Object.fromEntries(sources.map((source) => [source, hash(readFileSync(path.join(ROOT, source)))]));
  const changed = sources.filter(
    (source) => previous.config !== config || previous.files[source] !== files[source] || !existsSync(outputOf(source)),
  );
  const expected = new Set(sources.map(outputOf));
  const orphans = SOURCE_DIRS.flatMap((dir) => outputFiles(path.join(OUT_DIR, dir))).filter((file) => !expected.has(file));
  if (changed.length === 0 && orphans.length === 0 && existsSync(SERVICE_BUNDLE)) return;

  if (changed.length > 0) process.stdout.write(`compiling ${changed.length} of ${sources.length} files with SWC to dist/\n`);
  const options = JSON.parse(swcrc);
  await Promise.all(changed.map((source) => compile(source, options)));
  for (const orphan of orphans) {
    rmSync(orphan, { force: true });
    rmSync(`${orphan}.map`, { force: true });
  }
  mkdirSync(OUT_DIR, { recursive: true });
  await bundleService(options);
  writeAtomically(MANIFEST, JSON.stringify({ config, files }));
  const removed = orphans.length > 0 ? `, ${orphans.length} outputs of deleted sources removed` : '';
  process.stdout.write(`compiled and bundled in ${Math.round(performance.now() - startedAt)} ms${removed}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
