import { type Exposition, total, totalsBy } from './prometheus-text';

/** A scrape of /metrics and when the console took it (the format carries no time of its own). */
export interface Scrape extends Exposition {
  atMs: number;
}

/**
 * How much a counter grew between two scrapes, as Prometheus' increase() counts it: a value lower
 * than before means the process restarted and counted from zero, so all of it is new.
 */
export function increase(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/**
 * Per second between two scrapes, of the series `filter` keeps: 0 while the counter has none of
 * them yet (no 5xx so far), undefined when the process does not declare the counter at all.
 */
export function ratePerSecond(
  previous: Scrape,
  current: Scrape,
  name: string,
  filter: (labels: Readonly<Record<string, string>>) => boolean = () => true,
): number | undefined {
  const seconds = (current.atMs - previous.atMs) / 1000;
  if (!current.families.has(name) || seconds <= 0) return undefined;
  return increase(total(previous.samples, name, filter) ?? 0, total(current.samples, name, filter) ?? 0) / seconds;
}

/**
 * The φ-quantile of a histogram's observations between two scrapes, summed over all its series,
 * as Prometheus' histogram_quantile() estimates it: linear within the bucket it falls in, the
 * bucket's lower bound when it falls in the +Inf bucket. Undefined when nothing was observed.
 */
export function quantileBetween(previous: Scrape, current: Scrape, histogram: string, phi: number): number | undefined {
  const bucket = `${histogram}_bucket`;
  const before = totalsBy(previous.samples, bucket, 'le');
  const buckets = [...totalsBy(current.samples, bucket, 'le')]
    .map(([le, count]) => ({ upper: Number(le === '+Inf' ? Infinity : le), count: increase(before.get(le) ?? 0, count) }))
    .sort((a, b) => a.upper - b.upper);
  const observed = buckets.at(-1)?.count ?? 0;
  if (observed === 0) return undefined;
  const rank = phi * observed;
  let lower = 0;
  let below = 0;
  for (const { upper, count } of buckets) {
    if (count >= rank) {
      if (upper === Infinity) return lower;
      // below < rank <= count: the bucket holds the rank, so it is not empty.
      return lower + ((upper - lower) * (rank - below)) / (count - below);
    }
    lower = upper;
    below = count;
  }
  return lower;
}
