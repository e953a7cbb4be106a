import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of dependency-cruiser's JSON report these tests read. */
interface CruiseReport {
  summary: {
    violations: { rule: { name: string }; from: string; unresolvedTo?: string; to: string }[];
    ruleSetUsed: { forbidden: { name: string }[] };
  };
}

interface Violation {
  rule: string;
  /** Importing file, relative to the fixture's root. */
  from: string;
  /** The import as written in the source. */
  to: string;
}

const FIXTURES = 'test/arch/__fixtures__';

/** What each fixture tree must make the rules report: exactly this, nothing more. */
const EXPECTED: Record<string, Violation[]> = {
  clean: [],
  'cross-module': [
    {
      rule: 'no-cross-module',
      from: 'src/modules/ordering/application/place-order.handler.ts',
      to: '../../inventory/domain/stock',
    },
  ],
  'module-internals': [
    { rule: 'module-only-through-index', from: 'src/app.module.ts', to: './modules/inventory/inventory.module' },
  ],
  'simulator-imports-shop': [
    { rule: 'simulators-stay-outside', from: 'src/simulators/providers/card-provider.ts', to: '../../modules/payments' },
    {
      rule: 'simulators-stay-outside',
      from: 'src/simulators/providers/card-provider.ts',
      to: '../../../libs/contracts/payments/payment-authorized.v1',
    },
  ],
  'module-imports-simulator': [
    {
      rule: 'modules-not-import-simulators',
      from: 'src/modules/payments/infrastructure/card-adapter.ts',
      to: '../../../simulators/providers',
    },
  ],
  'libs-import-src': [{ rule: 'libs-not-import-src', from: 'libs/http/problem.ts', to: '../../src/config/app-config' }],
  'domain-imports-framework': [
    { rule: 'domain-is-pure', from: 'src/modules/inventory/domain/stock-item.ts', to: 'typeorm' },
    { rule: 'domain-is-pure', from: 'src/modules/inventory/domain/stock.ts', to: '@nestjs/common' },
  ],
  'domain-imports-lib': [
    { rule: 'domain-is-pure', from: 'src/modules/inventory/domain/stock.ts', to: '../../../../libs/messaging/unit-of-work' },
  ],
  'domain-imports-layer': [
    { rule: 'domain-is-pure', from: 'src/modules/inventory/domain/stock.ts', to: '../infrastructure/stock.row' },
  ],
  'contracts-import-package': [
    {
      rule: 'contracts-import-only-contracts',
      from: 'libs/contracts/inventory/stock-reserved.v1.ts',
      to: 'class-validator',
    },
  ],
  'contracts-import-lib': [
    {
      rule: 'contracts-import-only-contracts',
      from: 'libs/contracts/inventory/stock-reserved.v1.ts',
      to: '../../persistence/ids',
    },
  ],
  circular: [{ rule: 'no-circular', from: 'libs/resilience/backoff.ts', to: './retry' }],
  'path-alias': [
    {
      rule: 'no-path-alias',
      from: 'src/health/health.controller.ts',
      to: 'test/arch/__fixtures__/path-alias/libs/persistence/ids',
    },
  ],
  unresolvable: [{ rule: 'not-to-unresolvable', from: 'src/config/app-config.ts', to: './defaults' }],
  'dev-dependency': [{ rule: 'not-to-dev-dep', from: 'src/health/probe.ts', to: 'supertest' }],
};

/** Runs the same command line as `npm run lint:arch`, with the same config, on the fixtures. */
function cruiseFixtures(): CruiseReport {
  const cli = join(process.cwd(), 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const run = spawnSync(
    process.execPath,
    [cli, FIXTURES, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    { cwd: process.cwd(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.error) throw run.error;
  if (!run.stdout.trim()) throw new Error(`dependency-cruiser printed no report (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as CruiseReport;
}

function byPosition(a: Violation, b: Violation): number {
  return `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`);
}

describe('module boundaries (.dependency-cruiser.cjs)', () => {
  let report: CruiseReport;

  beforeAll(() => {
    report = cruiseFixtures();
  });

  function violationsIn(fixture: string): Violation[] {
    const root = `${FIXTURES}/${fixture}/`;
    return report.summary.violations
      .filter((v) => v.from.startsWith(root))
      .map((v) => ({ rule: v.rule.name, from: v.from.slice(root.length), to: v.unresolvedTo ?? v.to }))
      .sort(byPosition);
  }

  it('has an expectation for every fixture tree', () => {
    const fixtures = readdirSync(join(process.cwd(), FIXTURES), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(fixtures.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('proves every forbidden rule with a fixture that breaks it', () => {
    const rules = report.summary.ruleSetUsed.forbidden.map((rule) => rule.name);
    const proven = new Set(Object.values(EXPECTED).flatMap((violations) => violations.map((v) => v.rule)));
    expect(rules.filter((rule) => !proven.has(rule))).toEqual([]);
  });

  it.each(Object.entries(EXPECTED))('fixture %s reports exactly its violations', (fixture, expected) => {
    expect(violationsIn(fixture)).toEqual([...expected].sort(byPosition));
  });
});
