import { parentPort, workerData } from 'node:worker_threads';
import { ProviderSimulatorOptions, startProviderSimulator } from './provider-simulator';

/** What a simulator thread tells the thread that started it. */
export type SimulatorThreadMessage = { listening: string } | { failed: string };

/**
 * The entry of a worker thread that runs the provider simulator with the options in its
 * `workerData`: it posts `{ listening: url }` once it listens, and closes the simulator, then ends,
 * when its parent posts `'close'`.
 */
async function run(port: NonNullable<typeof parentPort>): Promise<void> {
  const simulator = await startProviderSimulator(workerData as ProviderSimulatorOptions);
  port.once('message', () => {
    void simulator.close().finally(() => port.close());
  });
  port.postMessage({ listening: simulator.url } satisfies SimulatorThreadMessage);
}

if (parentPort) {
  const port = parentPort;
  run(port).catch((error: unknown) => {
    port.postMessage({ failed: error instanceof Error ? error.message : String(error) } satisfies SimulatorThreadMessage);
    port.close();
  });
}
