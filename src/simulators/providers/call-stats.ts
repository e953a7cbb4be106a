import { perProvider, ProviderName } from './provider-names';

export interface ProviderCalls {
  /** Calls received, those failed on purpose included. */
  calls: number;
  /** Calls answered with an injected failure. */
  injectedFailures: number;
  /** Calls per route, as `POST /card/v1/payment_intents/:id/capture`. */
  operations: Record<string, number>;
  /** Calls under way now: received, neither answered nor given up by the client. */
  inFlight: number;
  /** The most calls under way at once since the stats were cleared. */
  maxInFlight: number;
  /** Calls whose client hung up before the answer (a client timeout, say): they had no effect. */
  abandoned: number;
}

/** What each provider was asked, for tests that count how often the service called a provider. */
export class CallStats {
  private counts = perProvider(() => CallStats.empty());

  private static empty(): ProviderCalls {
    return { calls: 0, injectedFailures: 0, operations: {}, inFlight: 0, maxInFlight: 0, abandoned: 0 };
  }

  received(provider: ProviderName, operation: string): void {
    const counts = this.counts[provider];
    counts.calls += 1;
    counts.operations[operation] = (counts.operations[operation] ?? 0) + 1;
    counts.inFlight += 1;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
  }

  /** A call was answered, or its client went away first. */
  ended(provider: ProviderName, answered: boolean): void {
    this.counts[provider].inFlight -= 1;
    if (!answered) this.counts[provider].abandoned += 1;
  }

  failedOnPurpose(provider: ProviderName): void {
    this.counts[provider].injectedFailures += 1;
  }

  snapshot(): Record<ProviderName, ProviderCalls> {
    return structuredClone(this.counts);
  }

  /** Forgets the counts; the calls under way stay under way. */
  clear(): void {
    const inFlight = perProvider((provider) => this.counts[provider].inFlight);
    this.counts = perProvider((provider) => ({ ...CallStats.empty(), inFlight: inFlight[provider], maxInFlight: inFlight[provider] }));
  }
}
