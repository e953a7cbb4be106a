import { InjectionToken, Provider } from '@nestjs/common';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge, LabelValues } from 'prom-client';

/**
 * A gauge of state that lives elsewhere (the database, the broker), read when Prometheus scrapes:
 * `read` gets the `inject`ed providers and returns the samples. A read that fails keeps the last
 * values instead of failing the whole scrape.
 */
export function makeScrapedGaugeProvider<L extends string, D extends unknown[]>(options: {
  name: string;
  help: string;
  labelNames: L[];
  inject: InjectionToken[];
  read: (...deps: D) => Promise<Iterable<readonly [LabelValues<L>, number]>>;
}): Provider {
  const { read, ...gauge } = options;
  return makeGaugeProvider({
    ...gauge,
    async collect(this: Gauge<L>, ...deps: D) {
      const samples = await read(...deps).catch(() => undefined);
      for (const [labels, value] of samples ?? []) this.set(labels, value);
    },
  });
}
