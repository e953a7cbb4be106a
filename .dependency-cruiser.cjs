/**
 * Module boundaries of the modular monolith, checked in CI by `npm run lint:arch`.
 * Paths are anchored with `(^|/)` rather than `^` so the same rules also judge the fixture
 * trees under test/arch/__fixtures__, where test/arch/boundaries.spec.ts proves each rule fires.
 */
const MODULE = '(^|/)src/modules/([^/]+)/';
const ANY_MODULE = '(^|/)src/modules/[^/]+/';
const PRODUCTION_CODE = '(^|/)(src|libs)/';
const TEST_CODE = '\\.spec\\.ts$';
const SIMULATORS = '(^|/)src/simulators/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-module',
      severity: 'error',
      comment:
        'A module imports only its own files and libs/. To talk to another context, publish or ' +
        'consume a message from libs/contracts; never import that context (not even its index.ts).',
      from: { path: MODULE },
      to: { path: ANY_MODULE, pathNot: '(^|/)src/modules/$2/' },
    },
    {
      name: 'module-only-through-index',
      severity: 'error',
      comment:
        "Outside a module (app.module.ts, main.ts, config/) only the module's index.ts may be " +
        'imported; everything else in the module folder is private to it.',
      from: { pathNot: ANY_MODULE },
      to: { path: ANY_MODULE, pathNot: `${ANY_MODULE}index\\.ts$` },
    },
    {
      name: 'simulators-stay-outside',
      severity: 'error',
      comment:
        'src/simulators/ stands in for outside parties (card, PayPal, crypto, SMS and push providers) and knows ' +
        "nothing of the shop: no module, no contract. It speaks only its providers' HTTP APIs.",
      from: { path: SIMULATORS },
      to: { path: [ANY_MODULE, '(^|/)libs/contracts/'] },
    },
    {
      name: 'modules-not-import-simulators',
      severity: 'error',
      comment:
        'A module reaches a provider over HTTP, through its adapter and a URL from configuration, never by importing ' +
        'the simulator: what runs against the simulator must run unchanged against the real provider.',
      from: { path: ANY_MODULE },
      to: { path: SIMULATORS },
    },
    {
      name: 'libs-not-import-src',
      severity: 'error',
      comment: 'libs/ is shared by every module and deployable; it must not depend on the application in src/.',
      from: { path: '(^|/)libs/' },
      // Packages ship their own build/src folders; those are not the application.
      to: { path: '(^|/)src/', pathNot: '(^|/)node_modules/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        "domain/ is plain TypeScript: no framework, ORM, database or broker client, no infrastructure lib " +
        "(messaging, persistence, http, cache, observability, resilience, failpoints), and none of its own module's " +
        'outer layers (application/, api/, infrastructure/). Those layers depend on the domain, not the reverse.',
      from: { path: `${ANY_MODULE}domain/` },
      to: {
        path: [
          '(^|/)node_modules/(@nestjs|@electric-sql)/',
          '(^|/)node_modules/(typeorm|typeorm-pglite|pg|kafkajs|mongoose)/',
          '^(@nestjs|@electric-sql)/',
          '^(typeorm|typeorm-pglite|pg|kafkajs|mongoose)(/|$)',
          `${ANY_MODULE}(infrastructure|api|application)/`,
          '(^|/)libs/(messaging|persistence|http|cache|observability|resilience|failpoints)/',
        ],
      },
    },
    {
      name: 'contracts-import-only-contracts',
      severity: 'error',
      comment:
        'libs/contracts is the published language every context (and every future deployable) depends on: ' +
        'it imports nothing but other contracts, no npm package, no Node built-in, no other lib.',
      from: { path: '(^|/)libs/contracts/' },
      to: { pathNot: '(^|/)libs/contracts/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide layering mistakes; break the cycle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-path-alias',
      severity: 'error',
      comment:
        "Imports between our folders are relative: tsconfig's baseUrl/paths resolve for tsc but not for " +
        'node running the CommonJS build.',
      from: { path: PRODUCTION_CODE },
      to: { dependencyTypes: ['aliased-tsconfig', 'aliased-tsconfig-base-url', 'aliased-tsconfig-paths'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'This import resolves to nothing on disk: a typo, a deleted file, or a package missing from package.json.',
      from: { path: PRODUCTION_CODE, pathNot: TEST_CODE },
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'Production code imports a devDependency, which `npm ci --omit=dev` does not install. ' +
        'Move the package to dependencies or keep the import in *.spec.ts files.',
      from: { path: PRODUCTION_CODE, pathNot: TEST_CODE },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: '(^|/)node_modules/@types/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a domain typing itself with an ORM type is coupled to the ORM.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'import', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
