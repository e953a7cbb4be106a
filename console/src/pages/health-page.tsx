import { useState } from 'react';
import { ApiError, getJson, getJsonAnyStatus, getText } from '../api';
import { LiveStatus } from '../components/live-status';
import { StatusBadge } from '../components/status-badge';
import { TableHead } from '../components/table-head';
import { dateTime } from '../format';
import { parsePrometheusText, type Sample, total, totalsBy } from '../metrics/prometheus-text';
import { usePolling } from '../polling';

const EVERY_SECONDS = 5;

type Check = { status: string } & Record<string, unknown>;

interface Readiness {
  status?: string;
  /** On a 503 too: the problem names what is down. */
  checks?: Record<string, Check>;
}

interface Provider {
  provider: string;
  breaker: string;
  state: string;
  since: string;
  window: { durationMs: number; calls: number; successes: number; failures: number; timeouts: number; rejected: number; overCapacity: number };
  parked: number;
}

interface Health {
  ready: { status: number; body: Readiness };
  providers: Provider[] | ApiError;
  metrics: Sample[] | ApiError;
}

const BREAKER_STATES = ['closed', 'half-open', 'open'];

/** A failure of one source shows in its own section; the others still show. */
async function settled<T>(load: Promise<T>): Promise<T | ApiError> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

async function loadHealth(): Promise<Health> {
  const [ready, providers, metrics] = await Promise.all([
    getJsonAnyStatus<Readiness>('/health/ready'),
    settled(getJson<{ items: Provider[] }>('/api/v1/payments/providers').then(({ items }) => items)),
    settled(getText('/metrics').then((text) => parsePrometheusText(text).samples)),
  ]);
  return { ready, providers, metrics };
}

function Unavailable({ error, what }: { error: ApiError; what: string }) {
  const why = error.status === 403 ? 'this account lacks the permission' : error.status === 404 ? 'this process does not host it' : error.message;
  return (
    <p className="notice">
      {what} cannot be shown: {why}.
    </p>
  );
}

function CheckDetails({ check }: { check: Check }) {
  const details = Object.entries(check).filter(([key]) => key !== 'status' && key !== 'breakers');
  return <>{details.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' · ')}</>;
}

function percent(ratio: number | undefined): string {
  return ratio === undefined || Number.isNaN(ratio) ? '—' : `${(ratio * 100).toFixed(1)} %`;
}

function Gauges({ samples }: { samples: Sample[] }) {
  const lags = [...totalsBy(samples, 'kafka_consumer_lag', 'group')];
  const ratios = totalsBy(samples, 'cache_hit_ratio', 'level');
  const sagas = totalsBy(samples, 'saga_states', 'state');
  const deadLetters = [...totalsBy(samples, 'dead_letters', 'context')];
  const rows: [string, string][] = [
    ['Outbox: messages not yet delivered', String(total(samples, 'outbox_pending_messages') ?? '—')],
    ['Sagas awaiting their decision', String(sagas.get('pending') ?? 0)],
    ['Confirmed orders awaiting capture and stock commit', String(sagas.get('confirmed') ?? 0)],
    ['Cache hit ratio, either level', percent(ratios.get('any'))],
    ['Cache hit ratio, in-process (L1)', percent(ratios.get('l1'))],
    ['Cache hit ratio, Redis (L2) of L1 misses', percent(ratios.get('l2'))],
    ...lags.map(([group, lag]): [string, string] => [`Kafka consumer lag, group ${group}`, String(lag)]),
    ...deadLetters.map(([context, count]): [string, string] => [`Dead letters not replayed, ${context}`, String(count)]),
  ];
  return (
    <>
      <table className="facts-table">
        <caption className="visually-hidden">Gauges from /metrics</caption>
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="number">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {lags.length === 0 && <p className="muted">No Kafka consumer lag: this process delivers messages in-process, without Kafka.</p>}
    </>
  );
}

function Breakers({ samples }: { samples: Sample[] }) {
  const breakers = samples.filter((sample) => sample.name === 'circuit_breaker_state');
  if (breakers.length === 0) return <p className="muted">No circuit breaker in this process.</p>;
  return (
    <ul className="plain">
      {breakers.map(({ labels, value }) => (
        <li key={labels.breaker}>
          <span className="mono">{labels.breaker}</span> <StatusBadge status={BREAKER_STATES[value] ?? String(value)} />
        </li>
      ))}
    </ul>
  );
}

/** Readiness with each dependency, the payment providers' breakers, and the backlog, lag and cache gauges of /metrics. */
export function HealthPage() {
  const [live, setLive] = useState(true);
  const { data, error, updatedAt } = usePolling(loadHealth, EVERY_SECONDS * 1000, 'health', live);

  return (
    <>
      <h1>Health</h1>
      <LiveStatus updatedAt={updatedAt} error={error} live={live} onLiveChange={setLive} everySeconds={EVERY_SECONDS} />
      {data && (
        <div className="grid">
          <section aria-labelledby="health-ready" className="panel">
            <h2 id="health-ready">
              Readiness <StatusBadge status={data.ready.status === 200 ? 'up' : 'down'} />
            </h2>
            <table className="facts-table">
              <caption className="visually-hidden">Dependencies checked by /health/ready</caption>
              <tbody>
                {Object.entries(data.ready.body.checks ?? {}).map(([name, check]) => (
                  <tr key={name} data-check={name}>
                    <th scope="row">{name}</th>
                    <td>
                      <StatusBadge status={check.status} />
                    </td>
                    <td>
                      <CheckDetails check={check} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="health-providers" className="panel">
            <h2 id="health-providers">Payment providers</h2>
            {data.providers instanceof ApiError ? (
              <Unavailable error={data.providers} what="The providers" />
            ) : (
              <table>
                <caption className="visually-hidden">Each payment provider's circuit breaker and its rolling window</caption>
                <TableHead
                  columns={['Provider', 'Breaker', 'Since', { label: 'Calls', numeric: true }, { label: 'Failures', numeric: true }, { label: 'Parked', numeric: true }]}
                />
                <tbody>
                  {data.providers.map((provider) => (
                    <tr key={provider.provider} data-provider={provider.provider}>
                      <th scope="row">{provider.provider}</th>
                      <td>
                        <StatusBadge status={provider.state} />
                      </td>
                      <td>{dateTime(provider.since)}</td>
                      <td className="number">{provider.window.calls}</td>
                      <td className="number">{provider.window.failures + provider.window.timeouts}</td>
                      <td className="number">{provider.parked}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="health-gauges" className="panel">
            <h2 id="health-gauges">Backlog, lag and cache</h2>
            {data.metrics instanceof ApiError ? <Unavailable error={data.metrics} what="The metrics" /> : <Gauges samples={data.metrics} />}
          </section>
          <section aria-labelledby="health-breakers" className="panel">
            <h2 id="health-breakers">Circuit breakers</h2>
            {data.metrics instanceof ApiError ? <Unavailable error={data.metrics} what="The breakers" /> : <Breakers samples={data.metrics} />}
          </section>
        </div>
      )}
    </>
  );
}
