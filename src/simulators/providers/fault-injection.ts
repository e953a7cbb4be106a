import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { perProvider, PROVIDER_NAMES, ProviderName } from './provider-names';
import { unavailable } from './provider-error';

/** How a provider misbehaves: a delay before every answer and a share of calls that fail. */
export interface Behaviour {
  latencyMs: number;
  /** Share of calls, in [0, 1], answered with a retryable 503 whatever they ask. */
  failureRate: number;
}

export const MAX_LATENCY_MS = 60_000;

/** Refuses a behaviour out of range, naming the setting; the CLI prints the message as it is. */
export function checkBehaviour(behaviour: Partial<Behaviour>, label: string): void {
  const { latencyMs, failureRate } = behaviour;
  if (latencyMs !== undefined && !(Number.isInteger(latencyMs) && latencyMs >= 0 && latencyMs <= MAX_LATENCY_MS)) {
    throw new RangeError(`${label} latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}, got ${latencyMs}`);
  }
  if (failureRate !== undefined && !(failureRate >= 0 && failureRate <= 1)) {
    throw new RangeError(`${label} failureRate must be a number from 0 to 1, got ${failureRate}`);
  }
}

/**
 * The nth number of a provider's stream: the first 32 bits of SHA-256 over the seed, the provider
 * and n, as a fraction of 2^32. The same seed gives the same numbers on every platform.
 */
function seededStream(seed: number, provider: ProviderName): () => number {
  let drawn = 0;
  return () => createHash('sha256').update(`${seed}:${provider}:${drawn++}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Latency and injected failures per provider, changed while running by `POST /control`. Each
 * provider draws from its own stream of the seed, one number per call as it arrives, so which
 * calls fail depends only on the seed and the order of that provider's calls.
 */
export class FaultInjection {
  private readonly behaviours: Record<ProviderName, Behaviour>;
  private randoms!: Record<ProviderName, () => number>;

  constructor(
    readonly seed: number,
    initial: Record<ProviderName, Behaviour>,
  ) {
    this.behaviours = perProvider((provider) => ({ ...initial[provider] }));
    this.reseed();
  }

  /** Starts every provider's stream again from the seed. */
  reseed(): void {
    this.randoms = perProvider((provider) => seededStream(this.seed, provider));
  }

  change(change: Partial<Behaviour>, provider?: ProviderName): void {
    for (const name of provider ? [provider] : PROVIDER_NAMES) Object.assign(this.behaviours[name], change);
  }

  snapshot(): Record<ProviderName, Behaviour> {
    return perProvider((provider) => ({ ...this.behaviours[provider] }));
  }

  /** Waits the provider's latency (unless cancelled), then throws a retryable 503 for the share of calls set to fail. */
  async apply(provider: ProviderName, cancelled: AbortSignal): Promise<void> {
    const { latencyMs, failureRate } = this.behaviours[provider];
    const fails = this.randoms[provider]() < failureRate;
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: cancelled });
    if (fails) throw unavailable('service_unavailable', `The ${provider} provider is unavailable (injected failure); retry later`);
  }
}
