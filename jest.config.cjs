const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

/**
 * NestJS 12 and several of its dependencies ship only ES modules. Node 20 loads them from our
 * CommonJS build through require(esm), but Jest's module system on Node 20 cannot, and CommonJS
 * libraries such as @willsoto/nestjs-prometheus require() them. So under Jest those packages
 * are compiled to CommonJS by Babel (test/jest/esm-to-commonjs.cjs, docs/decisions/0002).
 */
function esmOnlyPackages(root = 'node_modules') {
  const names = [];
  for (const entry of readdirSync(root)) {
    if (entry.startsWith('.')) continue;
    const scoped = entry.startsWith('@') ? readdirSync(join(root, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of scoped) {
      const manifest = join(root, name, 'package.json');
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).type === 'module') names.push(name);
    }
  }
  return names;
}

/**
 * Our TypeScript is compiled as the build compiles it (.swcrc): the same decorator metadata, and the
 * same packages required on first use.
 */
function buildCompilerOptions() {
  const options = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
  delete options.$schema;
  return { ...options, swcrc: false, sourceMaps: 'inline' };
}

const esm = esmOnlyPackages().map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/{src,libs,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/__fixtures__/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', buildCompilerOptions()],
    '^.+\\.[mc]?js$': '<rootDir>/test/jest/esm-to-commonjs.cjs',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  globalSetup: '<rootDir>/test/jest/global-setup.ts',
  testTimeout: 60000,
  // One more worker than this 2-core machine has cores: suites spend much of their time waiting on
  // the processes, brokers and timers they start, and a third worker fills those waits
  // (docs/decisions/0067).
  maxWorkers: 3,
};
