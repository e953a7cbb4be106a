import { useState } from 'react';
import { getJson } from '../api';
import { StatusBadge } from '../components/status-badge';
import { TableHead } from '../components/table-head';
import { dateTime, type Money, money, offset } from '../format';
import { BASE, Link } from '../navigation';
import { FINAL_STATUSES, type Order, type OrderEvent } from '../orders/order';
import { eventLabel, sagaSteps } from '../orders/saga';
import { usePolling } from '../polling';

const EVERY_SECONDS = 2;

function isMoney(value: unknown): value is Money {
  return typeof value === 'object' && value !== null && 'amount' in value && 'currency' in value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  return isMoney(value) ? money(value) : JSON.stringify(value);
}

function EventData({ event }: { event: OrderEvent }) {
  const entries = Object.entries(event.data).filter(([key]) => key !== 'lines');
  if (entries.length === 0) return null;
  return (
    <dl className="inline">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{describe(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One order: what it holds, the saga's state step by step, and every event, until the order is final. */
export function OrderPage({ id }: { id: string }) {
  // A final order has no more events to show: asking again would only repeat the same.
  const [final, setFinal] = useState(false);
  const { data, error } = usePolling(
    async () => {
      const [order, events] = await Promise.all([getJson<Order>(`/api/v1/orders/${id}`), getJson<OrderEvent[]>(`/api/v1/orders/${id}/events`)]);
      if (FINAL_STATUSES.includes(order.status)) setFinal(true);
      return { order, events };
    },
    EVERY_SECONDS * 1000,
    id,
    !final,
  );
  const { order, events } = data ?? {};

  return (
    <>
      <p>
        <Link to={`${BASE}/orders`}>← All orders</Link>
      </p>
      <h1>
        Order <span className="mono">{id}</span>
      </h1>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {order && events && (
        <>
          <section aria-labelledby="order-summary">
            <h2 id="order-summary">Summary</h2>
            <dl className="facts">
              <div>
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={order.status} />
                  {!final && <span className="muted"> (updating every {EVERY_SECONDS} s)</span>}
                </dd>
              </div>
              <div>
                <dt>Customer</dt>
                <dd className="mono">{order.customerId}</dd>
              </div>
              <div>
                <dt>Total</dt>
                <dd>{money(order.total)}</dd>
              </div>
              <div>
                <dt>Placed</dt>
                <dd>{dateTime(order.createdAt)}</dd>
              </div>
              {order.reasons.length > 0 && (
                <div>
                  <dt>Reasons</dt>
                  <dd>{order.reasons.join('; ')}</dd>
                </div>
              )}
            </dl>
            <table>
              <caption>Lines</caption>
              <TableHead columns={['Product', { label: 'Quantity', numeric: true }, { label: 'Unit price', numeric: true }]} />
              <tbody>
                {order.items.map((item) => (
                  <tr key={item.productId}>
                    <td className="mono">{item.productId}</td>
                    <td className="number">{item.quantity}</td>
                    <td className="number">{money(item.unitPrice)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="order-saga">
            <h2 id="order-saga">Saga</h2>
            <table className="saga">
              <caption className="visually-hidden">The saga's steps as the events show them</caption>
              <tbody>
                {sagaSteps(events).map((step) => (
                  <tr key={step.label} className={`step-${step.state}`}>
                    <th scope="row">{step.label}</th>
                    <td>{step.summary}</td>
                    <td className="muted">{step.at ? offset(step.at, order.createdAt) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="order-events">
            <h2 id="order-events">Events</h2>
            <ol className="timeline">
              {events.map((event) => (
                <li key={event.version}>
                  <p>
                    <strong>{eventLabel(event.type)}</strong>{' '}
                    <span className="muted">
                      #{event.version} · <time dateTime={event.occurredAt}>{dateTime(event.occurredAt)}</time> · {offset(event.occurredAt, order.createdAt)}
                    </span>
                  </p>
                  <EventData event={event} />
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </>
  );
}
