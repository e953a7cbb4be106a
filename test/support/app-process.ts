import { ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { FAST_PASSWORD_HASHING, TEST_ENV, TEST_LOG_LEVEL } from './test-env';

export { freePort } from './free-port';

const MAIN = join(process.cwd(), 'dist', 'src', 'main.js');
/** What `npm start` sets besides the service's own settings (docs/decisions/0027). */
const START_ENV = { MALLOC_MMAP_THRESHOLD_: '4194304' };
/** The heap settings `npm start` runs with (docs/decisions/0044, 0071). */
export const HEAP_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=4', '--heap-growing-percent=30'];

let provider: Promise<RunningProviderSimulator> | undefined;

/**
 * The card provider of the processes a test file starts, unless their env names one: it outlives
 * their kills and restarts, as a real provider outlives a deployment's, where the simulator a
 * process hosts would forget the authorizations it made before.
 */
export function testProvider(): Promise<RunningProviderSimulator> {
  provider ??= startProviderSimulator({ port: 0 });
  return provider;
}

afterAll(async () => {
  await (await provider)?.close();
});

/** Sets the delay before every answer of that card provider. */
export async function setTestProviderLatency(latencyMs: number): Promise<void> {
  const response = await fetch(`${(await testProvider()).url}/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs, provider: 'card' }),
  });
  if (!response.ok) throw new Error(`the test provider refused its latency: ${response.status}`);
}

/**
 * Settings of a service that a suite kills and starts again on the same database: rows the dead
 * process had claimed are delivered again a second later; the saga's deadline and re-drives are far
 * off, so what finishes the orders is what the crash left committed; and the keys stay the same
 * across restarts, as a deployment keeps them, so access tokens and payment methods sealed before
 * the kill still work after it. The payment provider the service hosts answers within 30 s and its
 * breaker resets in 1 s: on a loaded machine its answers can come later than the default 2 s, and
 * payments parked behind a breaker opened that way would wait out the 60 s reset, not the crash.
 */
export function restartableServiceEnv(): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    OUTBOX_POLL_MS: '100',
    OUTBOX_LEASE_MS: '1000',
    SAGA_SWEEP_MS: '100',
    SAGA_DEADLINE_MS: '120000',
    SAGA_REDRIVE_AFTER_MS: '60000',
    PAYMENT_TIMEOUT_MS: '30000',
    PAYMENT_BREAKER_RESET_MS: '1000',
    PAYMENT_METHOD_PRIVATE_KEY: TEST_ENV.PAYMENT_METHOD_PRIVATE_KEY,
    JWT_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ADMIN_EMAIL: TEST_ENV.ADMIN_EMAIL,
    ADMIN_PASSWORD: TEST_ENV.ADMIN_PASSWORD,
  };
}

export interface ExitedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the service as `npm start` does and waits for it to exit: for starts that must fail. */
export async function runUntilExit(env: Record<string, string>, timeoutMs = 90_000): Promise<ExitedRun> {
  const child = spawn(process.execPath, [...HEAP_FLAGS, MAIN], {
    env: { ...process.env, ...START_ENV, LOG_LEVEL: TEST_LOG_LEVEL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** The signal that ended the process, or 'still running' after `ms`; no listener is left on the process either way. */
export async function endedWithin(app: AppProcess, ms: number): Promise<NodeJS.Signals | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new AbortController();
  const timeout = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
  try {
    return await Promise.race([app.ended(waited.signal), timeout]);
  } finally {
    clearTimeout(timer);
    waited.abort();
  }
}

/** The service as its own OS process, as `npm start` runs it; stopped by PID only. */
export class AppProcess {
  private child?: ChildProcess;
  readonly output: string[] = [];
  /** What the last readiness probe of a start got, for the message of a start that timed out. */
  private lastProbe = 'none sent';

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** Exit code of the last run, once it has exited. */
  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  /** PID of the last run. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The environment it runs with, for starting another replica of the same role. */
  get environment(): Record<string, string> {
    return { ...this.env };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(extraEnv: Record<string, string> = {}, timeoutMs = 60_000): Promise<void> {
    const providerUrl = { ...this.env, ...extraEnv }.PAYMENT_PROVIDER_URL ?? (await testProvider()).url;
    this.child = spawn(process.execPath, [...HEAP_FLAGS, MAIN], {
      // Limits off and cheap password hashes, as in TEST_ENV: the suites that run the binary send
      // bursts from one address and sign in per case.
      env: {
        ...process.env,
        ...START_ENV,
        LOG_LEVEL: TEST_LOG_LEVEL,
        RATE_LIMIT_ENABLED: 'false',
        ...FAST_PASSWORD_HASHING,
        PAYMENT_PROVIDER_URL: providerUrl,
        ...this.env,
        ...extraEnv,
        PORT: String(this.port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    // A worker without HTTP says it is ready in its log (at level info).
    const worker = { ...this.env, ...extraEnv }.HTTP === 'off';
    const deadline = Date.now() + timeoutMs;
    this.lastProbe = 'none sent';
    while (Date.now() < deadline) {
      // A process killed by a signal (a failpoint's kill -9 during the start) has no exit code, only that signal.
      const ended = this.child.exitCode ?? this.child.signalCode;
      if (ended !== null) throw new Error(`app exited ${ended}: ${this.output.join('')}`);
      if (worker ? this.output.join('').includes('without HTTP') : await this.answersReady()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`app not ready in ${timeoutMs} ms (last readiness probe: ${this.lastProbe}): ${this.output.join('')}`);
  }

  private async answersReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health/ready`);
      this.lastProbe = `${response.status} ${await response.text()}`;
      return response.ok;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      this.lastProbe = `no answer (${cause?.code ?? String(error)})`;
      return false;
    }
  }

  /**
   * Resolves once the last run has ended: with the signal that ended it, or null when it exited by
   * itself. Once `until` aborts, it stops listening and never resolves.
   */
  ended(until?: AbortSignal): Promise<NodeJS.Signals | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child?.signalCode ?? null);
    return new Promise((resolve) => {
      const onExit = (_code: number | null, signal: NodeJS.Signals | null) => resolve(signal);
      child.once('exit', onExit);
      until?.addEventListener('abort', () => child.removeListener('exit', onExit), { once: true });
    });
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut off. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}
