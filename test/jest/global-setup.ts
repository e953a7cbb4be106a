import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { removeStaleRedirects } from '../support/kafka-mock';

/**
 * Before any suite: no redirect rule of an earlier, crashed run may divert this run's connections;
 * the contracts' generated TypeScript matches their Solidity sources (libs/chain imports it); and
 * dist/ matches the sources (SWC, only what changed), as the processes suites start and the
 * provider simulator's worker thread run the build (src/hosted-provider-simulator.ts).
 */
export default function globalSetup(): void {
  removeStaleRedirects();
  for (const script of ['compile-contracts.cjs', 'compile.cjs']) {
    execFileSync(process.execPath, [join(process.cwd(), 'scripts', script)], { stdio: 'inherit' });
  }
}
