import { type FormEvent, useState } from 'react';
import { getJson, query } from '../api';
import { LiveStatus } from '../components/live-status';
import { StatusBadge } from '../components/status-badge';
import { TableHead } from '../components/table-head';
import { dateTime, money } from '../format';
import { BASE, Link, navigate, useLocation } from '../navigation';
import { ORDER_STATUSES, type OrderPage } from '../orders/order';
import { usePolling } from '../polling';

const EVERY_SECONDS = 3;
const PAGE_SIZE = 50;
/** What GET /api/v1/orders accepts as customerId. */
const CUSTOMER_ID_PATTERN = '[A-Za-z0-9_.@:\\-]{1,100}';

/** Orders, newest first, filtered by status and customer; the filters live in the address, so a view can be shared. */
export function OrdersPage() {
  const { search } = useLocation();
  const status = search.get('status') ?? '';
  const customerId = search.get('customerId') ?? '';
  const [customerInput, setCustomerInput] = useState(customerId);
  // Cursors of the pages before this one: "Newer" goes back to the last of them.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [live, setLive] = useState(true);
  const cursor = cursors.at(-1);
  const path = `/api/v1/orders${query({ status, customerId, limit: PAGE_SIZE, cursor })}`;
  const { data, error, updatedAt } = usePolling(() => getJson<OrderPage>(path), EVERY_SECONDS * 1000, path, live);

  const filter = (next: { status?: string; customerId?: string }): void => {
    setCursors([undefined]);
    navigate(`${BASE}/orders${query({ status, customerId, ...next })}`, { replace: true });
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    filter({ customerId: customerInput.trim() });
  };

  return (
    <>
      <h1>Orders</h1>
      <form className="filters" onSubmit={submit} aria-label="Filter orders">
        <div className="field">
          <label htmlFor="order-status">Status</label>
          <select id="order-status" value={status} onChange={(event) => filter({ status: event.target.value })}>
            <option value="">Any</option>
            {ORDER_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value.replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="order-customer">Customer id</label>
          <input
            id="order-customer"
            value={customerInput}
            onChange={(event) => setCustomerInput(event.target.value)}
            pattern={CUSTOMER_ID_PATTERN}
            maxLength={100}
            aria-describedby="order-customer-hint"
          />
          <small id="order-customer-hint" className="muted">
            The customer's user id; empty for every customer
          </small>
        </div>
        <button type="submit">Apply</button>
      </form>
      <LiveStatus updatedAt={updatedAt} error={error} live={live} onLiveChange={setLive} everySeconds={EVERY_SECONDS} />
      {data && data.items.length === 0 && <p>No orders match.</p>}
      {data && data.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Orders, newest first</caption>
            <TableHead columns={['Order', 'Status', 'Customer', { label: 'Items', numeric: true }, { label: 'Total', numeric: true }, 'Placed', 'Reasons']} />
            <tbody>
              {data.items.map((order) => (
                <tr key={order.id} data-order-id={order.id}>
                  <td>
                    <Link to={`${BASE}/orders/${order.id}`} className="mono">
                      {order.id}
                    </Link>
                  </td>
                  <td>
                    <StatusBadge status={order.status} />
                  </td>
                  <td className="mono">{order.customerId}</td>
                  <td className="number">{order.items.reduce((sum, item) => sum + item.quantity, 0)}</td>
                  <td className="number">{money(order.total)}</td>
                  <td>{dateTime(order.createdAt)}</td>
                  <td>{order.reasons.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        <button type="button" className="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" className="secondary" disabled={!data?.nextCursor} onClick={() => setCursors([...cursors, data!.nextCursor!])}>
          Older
        </button>
      </div>
    </>
  );
}
