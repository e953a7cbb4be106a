import { parsePrometheusText, total, totalsBy } from '../../console/src/metrics/prometheus-text';
import { increase, quantileBetween, ratePerSecond, type Scrape } from '../../console/src/metrics/rates';

const SCRAPE = `# HELP http_requests_total Requests answered
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/api/v1/orders",status_class="2xx"} 40
http_requests_total{method="POST",route="/api/v1/orders",status_class="5xx"} 2
# TYPE orders_decided_total counter
# TYPE saga_states gauge
saga_states{state="pending"} 3
saga_states{state="confirmed"} 1
# TYPE odd gauge
odd{path="C:\\\\temp",quote="say \\"hi\\"",line="a\\nb"} NaN
inf_gauge +Inf
`;

function scrape(atMs: number, text: string): Scrape {
  return { atMs, ...parsePrometheusText(text) };
}

function histogram(buckets: Record<string, number>): string {
  return Object.entries(buckets)
    .map(([le, count]) => `http_request_duration_seconds_bucket{route="/a",le="${le}"} ${count}`)
    .join('\n');
}

describe('the console reading /metrics', () => {
  it('reads samples with their labels, escapes included, and the metrics declared without samples', () => {
    const { samples, families } = parsePrometheusText(SCRAPE);
    expect(samples).toHaveLength(6);
    expect(samples.find((sample) => sample.name === 'odd')).toEqual({
      name: 'odd',
      labels: { path: 'C:\\temp', quote: 'say "hi"', line: 'a\nb' },
      value: NaN,
    });
    expect(samples.find((sample) => sample.name === 'inf_gauge')?.value).toBe(Infinity);
    expect(families.has('orders_decided_total')).toBe(true);
    expect(total(samples, 'http_requests_total')).toBe(42);
    expect(total(samples, 'http_requests_total', (labels) => labels.status_class === '5xx')).toBe(2);
    expect(total(samples, 'orders_decided_total')).toBeUndefined();
    expect(totalsBy(samples, 'saga_states', 'state')).toEqual(new Map([['pending', 3], ['confirmed', 1]]));
  });

  it('turns two scrapes of a counter into a rate per second, counting a restart from zero', () => {
    const before = scrape(0, SCRAPE);
    const after = scrape(5000, SCRAPE.replace('status_class="2xx"} 40', 'status_class="2xx"} 60'));
    expect(ratePerSecond(before, after, 'http_requests_total')).toBe(4);
    expect(ratePerSecond(before, after, 'http_requests_total', (labels) => labels.status_class === '5xx')).toBe(0);
    // Declared, never counted yet: no orders decided is a rate of 0, not a missing value.
    expect(ratePerSecond(before, after, 'orders_decided_total')).toBe(0);
    expect(ratePerSecond(before, after, 'no_such_total')).toBeUndefined();
    expect(increase(60, 5)).toBe(5);
  });

  it("estimates quantiles of a histogram's observations between two scrapes as histogram_quantile does", () => {
    const header = '# TYPE http_request_duration_seconds histogram\n';
    const before = scrape(0, header + histogram({ '0.1': 10, '0.5': 10, '1': 10, '+Inf': 10 }));
    // 100 observations since: 50 up to 0.1 s, 40 in (0.1, 0.5], 10 in (0.5, 1].
    const after = scrape(5000, header + histogram({ '0.1': 60, '0.5': 100, '1': 110, '+Inf': 110 }));
    expect(quantileBetween(before, after, 'http_request_duration_seconds', 0.5)).toBeCloseTo(0.1);
    expect(quantileBetween(before, after, 'http_request_duration_seconds', 0.7)).toBeCloseTo(0.3);
    expect(quantileBetween(before, after, 'http_request_duration_seconds', 0.95)).toBeCloseTo(0.75);
    expect(quantileBetween(before, before, 'http_request_duration_seconds', 0.5)).toBeUndefined();
    const slow = scrape(10_000, header + histogram({ '0.1': 60, '0.5': 100, '1': 110, '+Inf': 120 }));
    // All ten new observations above the highest finite bound: that bound is the estimate.
    expect(quantileBetween(after, slow, 'http_request_duration_seconds', 0.99)).toBe(1);
  });
});
