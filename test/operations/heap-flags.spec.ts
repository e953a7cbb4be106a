import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAP_FLAGS as HARNESS_HEAP_FLAGS } from '../support/app-process';

const ROOT = join(__dirname, '..', '..');
/** The benchmarks' service harness is a CommonJS script without types. */
const BENCH_HEAP_FLAGS = jest.requireActual<{ HEAP_FLAGS: string[] }>('../bench/service.cjs').HEAP_FLAGS;

/** The node flags of a command line that starts the service: what stands between `node` and `dist/src/main.js`. */
function nodeFlagsOf(command: string[]): string[] {
  const node = command.lastIndexOf('node');
  const main = command.indexOf('dist/src/main.js');
  if (node < 0 || main < node) throw new Error(`no "node … dist/src/main.js" in ${command.join(' ')}`);
  return command.slice(node + 1, main);
}

/**
 * The heap flags (docs/decisions/0044, 0071) are written where the service is started: npm's
 * scripts, the image, and the harnesses that test and measure it. They must be the same, or the
 * tests and benchmarks run a service users do not.
 */
describe('The heap flags the service starts with', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const startProd = nodeFlagsOf(scripts['start:prod'].split(' '));

  it('are the same in `npm start`, the image, the test harness and the benchmarks as in `npm run start:prod`', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8'))?.[1];
    expect({
      start: nodeFlagsOf(scripts.start.split(' ')),
      image: nodeFlagsOf(JSON.parse(cmd ?? '[]') as string[]),
      harness: HARNESS_HEAP_FLAGS,
      bench: BENCH_HEAP_FLAGS,
    }).toEqual({ start: startProd, image: startProd, harness: startProd, bench: startProd });
  });
});
