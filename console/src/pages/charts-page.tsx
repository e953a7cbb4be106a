import { useRef, useState } from 'react';
import { getText } from '../api';
import { type ChartSeries, LineChart } from '../components/line-chart';
import { LiveStatus } from '../components/live-status';
import { parsePrometheusText } from '../metrics/prometheus-text';
import { quantileBetween, ratePerSecond, type Scrape } from '../metrics/rates';
import { usePolling } from '../polling';

const EVERY_SECONDS = 5;
/** Ten minutes of points at one every five seconds. */
const KEPT_POINTS = 120;
const OUTCOMES = ['CONFIRMED', 'REJECTED', 'ROLLED_BACK'] as const;

const THROUGHPUT: ChartSeries[] = [
  { label: 'All requests', color: '#1d4ed8' },
  { label: 'Answered 5xx', color: '#b91c1c', dash: [6, 4] },
];
const ORDERS: ChartSeries[] = [
  { label: 'Confirmed', color: '#15803d' },
  { label: 'Rejected', color: '#b45309', dash: [6, 4] },
  { label: 'Rolled back', color: '#7e22ce', dash: [2, 3] },
];
const LATENCY: ChartSeries[] = [
  { label: 'p50', color: '#0f766e' },
  { label: 'p95', color: '#1d4ed8', dash: [6, 4] },
  { label: 'p99', color: '#b91c1c', dash: [2, 3] },
];

/** One point of every chart: rates and quantiles over the interval between two scrapes. */
interface Point {
  atSeconds: number;
  requests: (number | null)[];
  orders: (number | null)[];
  latencyMs: (number | null)[];
}

const orNull = (value: number | undefined): number | null => value ?? null;

function pointBetween(previous: Scrape, current: Scrape): Point {
  const quantileMs = (phi: number): number | null => {
    const seconds = quantileBetween(previous, current, 'http_request_duration_seconds', phi);
    return seconds === undefined ? null : seconds * 1000;
  };
  return {
    atSeconds: current.atMs / 1000,
    requests: [
      orNull(ratePerSecond(previous, current, 'http_requests_total')),
      orNull(ratePerSecond(previous, current, 'http_requests_total', (labels) => labels.status_class === '5xx')),
    ],
    orders: OUTCOMES.map((outcome) => orNull(ratePerSecond(previous, current, 'orders_decided_total', (labels) => labels.outcome === outcome))),
    latencyMs: [quantileMs(0.5), quantileMs(0.95), quantileMs(0.99)],
  };
}

function Chart({ title, unit, series, points, pick, digits }: {
  title: string;
  unit: string;
  series: ChartSeries[];
  points: Point[];
  pick: (point: Point) => (number | null)[];
  digits: number;
}) {
  const id = title.toLowerCase().replace(/\W+/g, '-');
  const latest = points.at(-1);
  return (
    <figure className="panel" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <h2>{title}</h2>
      </figcaption>
      <LineChart
        title={title}
        unit={unit}
        series={series}
        times={points.map((point) => point.atSeconds)}
        values={series.map((_, i) => points.map((point) => pick(point)[i]))}
      />
      <dl className="legend" data-latest={id}>
        {series.map((line, i) => {
          const value = latest ? pick(latest)[i] : null;
          return (
            <div key={line.label}>
              <dt>
                <span className={`swatch${line.dash ? ' dashed' : ''}`} style={{ borderTopColor: line.color }} />
                {line.label}
              </dt>
              <dd>{value === null ? '—' : `${value.toFixed(digits)} ${unit}`}</dd>
            </div>
          );
        })}
      </dl>
    </figure>
  );
}

/**
 * Throughput and latency from the service's own counters, scraped from /metrics every few seconds:
 * rates and quantiles are computed here between consecutive scrapes, as Prometheus' rate() and
 * histogram_quantile() would over that interval. Kept while the page is open.
 */
export function ChartsPage() {
  const [live, setLive] = useState(true);
  const [points, setPoints] = useState<Point[]>([]);
  const previous = useRef<Scrape>(undefined);
  const { error, updatedAt } = usePolling(
    async () => {
      const current = { atMs: Date.now(), ...parsePrometheusText(await getText('/metrics')) };
      const before = previous.current;
      previous.current = current;
      if (before) setPoints((kept) => [...kept, pointBetween(before, current)].slice(-KEPT_POINTS));
    },
    EVERY_SECONDS * 1000,
    'charts',
    live,
  );

  return (
    <>
      <h1>Charts</h1>
      <p className="muted">
        From this process' /metrics every {EVERY_SECONDS} s, averaged over each interval; the first point comes with the second scrape. The console's own
        requests are counted too.
      </p>
      <LiveStatus updatedAt={updatedAt} error={error} live={live} onLiveChange={setLive} everySeconds={EVERY_SECONDS} />
      <div className="grid">
        <Chart title="HTTP requests" unit="req/s" series={THROUGHPUT} points={points} pick={(point) => point.requests} digits={2} />
        <Chart title="Orders decided" unit="orders/s" series={ORDERS} points={points} pick={(point) => point.orders} digits={2} />
        <Chart title="HTTP latency" unit="ms" series={LATENCY} points={points} pick={(point) => point.latencyMs} digits={1} />
      </div>
    </>
  );
}
