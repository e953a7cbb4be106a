import { perProvider, ProviderName } from './provider-names';

export interface ProviderCalls {
  /** Calls received, those failed on purpose included. */
  calls: number;
  /** Calls answered with an injected failure. */
  injectedFailures: number;
  /** Calls per route, as `POST /card/v1/payment_intents/:id/capture`. */
  operations: Record<string, number>;
}

/** What each provider was asked, for tests that count how often the service called a provider. */
export class CallStats {
  private counts = perProvider(() => CallStats.empty());

  private static empty(): ProviderCalls {
    return { calls: 0, injectedFailures: 0, operations: {} };
  }

  received(provider: ProviderName, operation: string): void {
    const counts = this.counts[provider];
    counts.calls += 1;
    counts.operations[operation] = (counts.operations[operation] ?? 0) + 1;
  }

  failedOnPurpose(provider: ProviderName): void {
    this.counts[provider].injectedFailures += 1;
  }

  snapshot(): Record<ProviderName, ProviderCalls> {
    return structuredClone(this.counts);
  }

  clear(): void {
    this.counts = perProvider(() => CallStats.empty());
  }
}
