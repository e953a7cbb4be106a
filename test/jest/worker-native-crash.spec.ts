import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'jest-worker';

type CrashingWorker = Worker & { answerAfterOneCrash(marker: string): Promise<string>; crash(): Promise<void> };

/**
 * Jest's worker runs a test file again in a new process when its process exits with an error code,
 * but reported one killed by a signal as failed. scripts/patches/jest-worker+30.5.1.patch counts
 * the signals of a native crash (SIGSEGV, SIGBUS, SIGILL) as such an exit (docs/decisions/0066).
 */
describe('a Jest worker process that crashes natively', () => {
  let folder: string;
  let worker: CrashingWorker;
  let stderr: jest.SpyInstance;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'jest-worker-crash-'));
    worker = new Worker(require.resolve('./__fixtures__/crashing-worker.cjs'), {
      numWorkers: 1,
      maxRetries: 3,
      exposedMethods: ['answerAfterOneCrash', 'crash'],
    }) as CrashingWorker;
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(async () => {
    stderr.mockRestore();
    await worker.end();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is replaced by a new process that runs the request again, and says so', async () => {
    const marker = join(folder, 'crashed');

    await expect(worker.answerAfterOneCrash(marker)).resolves.toMatch(/^answered by \d+$/);

    expect(existsSync(marker)).toBe(true);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('crashed with SIGSEGV; a new worker runs its request again'));
  });

  it('still fails a request that crashes every process it runs in', async () => {
    await expect(worker.crash()).rejects.toThrow('exceeding retry limit');
  });
});
