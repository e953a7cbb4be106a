import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { compiledSibling } from '../libs/startup';
import { PAYMENT_PROVIDERS } from './simulators/providers';
import type { Behaviour, ProviderSimulatorOptions, SimulatorThreadMessage } from './simulators/providers';

/** The thread's entry, compiled. */
const THREAD_ENTRY = compiledSibling(__filename, './simulators/providers/simulator-thread');
/** Its caches are bounded (100,000 resources per provider); a small young generation keeps its resident memory low. */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 4 };
/** How long the simulator may take to end its calls and close before its thread is stopped. */
const CLOSE_BOUND_MS = 5_000;

/**
 * The provider simulator a process hosting payments runs on a private port when
 * PAYMENT_PROVIDER_URL is unset: `npm start` needs nothing else, and payments still calls its
 * provider over HTTP. It runs on a worker thread of its own: on the event loop that serves orders,
 * each of its answers waited behind that loop's work, so under load calls outlived payments'
 * timeout and opened the circuit (docs/decisions/0047). Payments and notifications ask for its URL
 * at each call: it starts at the first, so the process is ready without waiting for it, starts
 * again, on a new port, at the next call after its thread died, and stops in the application's
 * last shutdown phase, after the message deliveries that may call it have drained.
 */
export class HostedProviderSimulator implements OnApplicationShutdown {
  private readonly logger = new Logger(HostedProviderSimulator.name);
  private running?: { worker: Worker; url: Promise<string> };

  constructor(private readonly payments: Behaviour) {}

  url(): Promise<string> {
    this.running ??= this.start();
    return this.running.url;
  }

  async onApplicationShutdown(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    const exited = once(running.worker, 'exit');
    running.worker.postMessage('close');
    const stopping = setTimeout(() => void running.worker.terminate(), CLOSE_BOUND_MS);
    await exited;
    clearTimeout(stopping);
  }

  private start(): { worker: Worker; url: Promise<string> } {
    const options: ProviderSimulatorOptions = {
      host: '127.0.0.1',
      port: 0,
      providers: Object.fromEntries(PAYMENT_PROVIDERS.map((provider) => [provider, this.payments])),
    };
    const worker = new Worker(THREAD_ENTRY, { workerData: options, resourceLimits: THREAD_LIMITS });
    const running = { worker, url: listening(worker) };
    worker.once('exit', (code) => {
      if (this.running !== running) return;
      this.running = undefined;
      this.logger.error(`the hosted provider simulator's thread ended (exit code ${code}); it starts again at the next provider call`);
    });
    // After it listened, a failure of the thread is logged here; its end is handled above.
    worker.on('error', (error) => this.logger.error(`the hosted provider simulator failed: ${error.message}`));
    running.url.catch(() => undefined);
    return running;
  }
}

/** The simulator's URL once its thread listens; rejected when the thread fails or ends first. */
function listening(worker: Worker): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`the hosted provider simulator failed: ${error.message}`));
    const onExit = (code: number) => reject(new Error(`the hosted provider simulator's thread ended before listening (exit code ${code})`));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', (message: SimulatorThreadMessage) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      if ('listening' in message) resolve(message.listening);
      else reject(new Error(`the hosted provider simulator did not start: ${message.failed}`));
    });
  });
}
