'use strict';
/**
 * Jest's transform for ES-module packages: babel-jest with the plugins that compile them to
 * CommonJS (docs/decisions/0002), under a cache key that leaves out the Node version. babel-jest
 * puts `process.version` in its key, which presets that target the running Node (preset-env) need;
 * these plugins target none, so their output is the same under every Node, and CI's passes under
 * Node 22 and 24 share one compiled copy instead of compiling every package again when the runtime
 * changes.
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const { createTransformer } = require('babel-jest').default;

const PLUGINS = [
  join(__dirname, 'drop-create-require.cjs'),
  'babel-plugin-transform-import-meta',
  '@babel/plugin-transform-dynamic-import',
  '@babel/plugin-transform-modules-commonjs',
];

const babel = createTransformer({ babelrc: false, configFile: false, plugins: PLUGINS });

/** The version of an installed package, from its package.json (not every package exports that file). */
function versionOf(name) {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (manifest.name === name) return manifest.version;
    } catch {
      // no package.json at this level: look one up
    }
  }
  throw new Error(`no package.json names ${name}`);
}

/** What the output depends on besides the file: this transform, babel's and each plugin's code. */
const TRANSFORM_VERSION = createHash('sha1')
  .update(readFileSync(__filename))
  .update(readFileSync(PLUGINS[0]))
  .update(['@babel/core', 'babel-jest', ...PLUGINS.slice(1)].map((name) => `${name}@${versionOf(name)}`).join())
  .digest('hex');

function getCacheKey(sourceText, sourcePath, { config, configString, instrument, ...caller }) {
  const supports = ['supportsDynamicImport', 'supportsExportNamespaceFrom', 'supportsStaticESM', 'supportsTopLevelAwait'].map((flag) => caller[flag]);
  return createHash('sha1')
    .update(TRANSFORM_VERSION)
    .update('\0')
    .update(sourceText)
    .update('\0')
    .update(relative(config.rootDir, sourcePath))
    .update('\0')
    .update(configString)
    .update('\0')
    .update(JSON.stringify({ instrument, supports }))
    .digest('hex')
    .slice(0, 32);
}

module.exports = {
  ...babel,
  getCacheKey,
  getCacheKeyAsync: async (...args) => getCacheKey(...args),
};
