import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { threadsSizeTheirOwnYoungGeneration } from './thread-young-generation';

const MB = 1024 * 1024;

/** Fills the thread's young generation until V8 has grown it as far as it may, then reports its size. */
const CHURN = `
  const { parentPort } = require('node:worker_threads');
  const { getHeapSpaceStatistics } = require('node:v8');
  let kept = [];
  for (let i = 0; i < 2e6; i++) {
    kept.push({ i, text: 'x' + i });
    if (kept.length > 20000) kept = [];
  }
  parentPort.postMessage(getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size);
`;

async function newSpaceOfThread(): Promise<number> {
  const worker = new Worker(CHURN, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } });
  const [size] = (await once(worker, 'message')) as [number];
  await worker.terminate();
  return size;
}

describe('threadsSizeTheirOwnYoungGeneration', () => {
  // What `npm start`'s --max-semi-space-size does to the isolates created after it.
  beforeEach(() => setFlagsFromString('--max-semi-space-size=16'));
  afterAll(() => setFlagsFromString('--max-semi-space-size=0'));

  it('leaves a thread the young generation its resourceLimits ask for, not the process-wide one', async () => {
    expect(await newSpaceOfThread()).toBeGreaterThan(16 * MB);
    threadsSizeTheirOwnYoungGeneration();
    expect(await newSpaceOfThread()).toBeLessThanOrEqual(8 * MB);
  }, 30_000);
});
