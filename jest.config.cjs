/**
 * Jest runs in native ESM mode: NestJS 12 packages are ESM-only and Jest on Node 20 cannot
 * require() them, so test sources are compiled to ES modules (see docs/decisions/0002).
 */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/{src,libs,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/__fixtures__/'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.spec.json' }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
