import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { removeStaleRedirects } from '../support/kafka-mock';

/**
 * Before any suite: no redirect rule of an earlier, crashed run may divert this run's connections;
 * the contracts' generated TypeScript matches their Solidity sources (libs/chain imports it);
 * dist/ matches the sources (SWC, only what changed), as the processes suites start and the
 * provider simulator's worker thread run the build (src/hosted-provider-simulator.ts); and the
 * ready-made embedded cluster every embedded test database starts from was made after the last
 * change to a migration.
 */
export default function globalSetup(): void {
  removeStaleRedirects();
  for (const [script, ...args] of [['compile-contracts.cjs'], ['compile.cjs'], ['embedded-cluster.cjs', '--if-stale']]) {
    execFileSync(process.execPath, [join(process.cwd(), 'scripts', script), ...args], { stdio: 'inherit' });
  }
}
