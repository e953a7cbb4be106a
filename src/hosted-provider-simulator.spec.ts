import { execFileSync } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import { HostedProviderSimulator } from './hosted-provider-simulator';

/** GET /control/stats from another process while this thread waits for it, blocked. */
function statsFetchedWhileBlocked(url: string): Record<string, { calls: number }> {
  const script = `fetch(${JSON.stringify(`${url}/control/stats`)}).then((r) => r.text()).then((t) => process.stdout.write(t))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { timeout: 15_000, encoding: 'utf8' })) as Record<string, { calls: number }>;
}

describe(HostedProviderSimulator.name, () => {
  let simulator: HostedProviderSimulator;

  beforeEach(() => {
    simulator = new HostedProviderSimulator({ latencyMs: 0, failureRate: 0 });
  });

  afterEach(async () => {
    await simulator.onApplicationShutdown();
  });

  it('answers on a thread of its own: a call is served while the thread that hosts it is blocked', async () => {
    const url = await simulator.url();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statsFetchedWhileBlocked(url)).toHaveProperty('card.calls');
  });

  it('starts again, on a new port, at the next call after its thread died', async () => {
    const first = await simulator.url();
    const worker = (simulator['running'] as { worker: Worker }).worker;
    await worker.terminate();
    const second = await simulator.url();
    expect(second).not.toBe(first);
    expect(statsFetchedWhileBlocked(second)).toHaveProperty('card.calls');
  });

  it('stops listening when the application shuts down', async () => {
    const url = await simulator.url();
    await simulator.onApplicationShutdown();
    await expect(fetch(`${url}/control/stats`)).rejects.toThrow();
  });
});
