/**
 * One order placed on the split topology (four processes over librdkafka's mock cluster) is one
 * trace across them: the request at the edge, the outbox publish and the Kafka send, the
 * reservation handled by inventory, its reply handled by ordering, the authorization handled by
 * payments; each span's parent is in the trace (no orphans), database queries are spans of the
 * handler that made them, and the log lines written while handling carry the trace's ids.
 */
import { bearer, newCustomerAt } from '../support/auth';
import { ExportedSpan, otlpReceiver } from '../support/otlp-receiver';
import { SplitApp, splitUnavailable } from '../support/split-app';
import { stockedProduct } from '../support/shop';
import { eventually } from '../support/test-app';

const unavailable = splitUnavailable();
if (unavailable) process.stdout.write(`split tracing suite skipped: ${unavailable}\n`);
const describeSplit = unavailable ? describe.skip : describe;

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

function attribute(span: ExportedSpan, key: string): string | undefined {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
}

describeSplit('Traces across the split topology', () => {
  it('follows one order through every process in one trace, without orphans, down to its queries and log lines', async () => {
    const receiver = await otlpReceiver();
    const app = await SplitApp.start({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    try {
      const productId = await stockedProduct(app, 5);
      const edge = app.urlOf('ordering');
      const { session } = await newCustomerAt(edge);
      const placed = await fetch(`${edge}/api/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(session), traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` },
        body: JSON.stringify({ items: [{ productId, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } }),
      });
      expect(placed.status).toBe(202);
      const { id } = (await placed.json()) as { id: string };
      await eventually(async () => {
        const order = (await (await fetch(`${edge}/api/v1/orders/${id}`, { headers: bearer(session) })).json()) as { status: string };
        expect(order.status).toBe('COMPLETED');
      }, 60_000);
      await app.drained();
    } finally {
      // SIGTERM makes each process export the spans it still buffers.
      await app.close();
      receiver.server.close();
    }

    const trace = receiver.spans.filter((s) => s.traceId.toLowerCase() === TRACE_ID);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const named = (name: string) => trace.filter((s) => s.name === name);
    const one = (name: string) => {
      const spans = named(name);
      expect({ name, count: spans.length }).toEqual({ name, count: 1 });
      return spans[0];
    };
    const request = one('POST /api/v1/orders');
    expect(request).toMatchObject({ parentSpanId: CLIENT_SPAN, service: 'commerce-edge' });
    expect(trace.filter((s) => s !== request && !byId.has(s.parentSpanId ?? '')).map((s) => `${s.service}: ${s.name}`)).toEqual([]);

    // Each step's parent is the publish span its message carried; a publish the relay had to try
    // again leaves a failed span beside it, so the publish spans are found from their handlers.
    const parentOf = (span: ExportedSpan) => byId.get(span.parentSpanId ?? '');
    const handleReserve = one('handle inventory.stock.reserve');
    const publishReserve = parentOf(handleReserve)!;
    expect([publishReserve.name, publishReserve.service, handleReserve.service]).toEqual([
      'publish inventory.stock.reserve',
      'commerce-edge',
      'commerce-inventory',
    ]);
    const sendReserve = trace.find((s) => s.name.startsWith('send ') && s.parentSpanId === publishReserve.spanId);
    expect(sendReserve && [sendReserve.service, attribute(sendReserve, 'messaging.system')]).toEqual(['commerce-edge', 'kafka']);
    const handleReserved = one('handle inventory.stock.reserved');
    const publishReserved = parentOf(handleReserved)!;
    expect([publishReserved.name, parentOf(publishReserved), handleReserved.service]).toEqual([
      'publish inventory.stock.reserved',
      handleReserve,
      'commerce-edge',
    ]);
    const handleAuthorize = one('handle payments.payment.authorize');
    expect([parentOf(handleAuthorize)?.name, handleAuthorize.service]).toEqual(['publish payments.payment.authorize', 'commerce-payments']);

    const queriesOfReserve = trace.filter((s) => s.parentSpanId === handleReserve.spanId && attribute(s, 'db.system') === 'postgresql');
    expect(queriesOfReserve.map((s) => s.name)).toEqual(expect.arrayContaining(['SELECT', 'INSERT']));
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['commerce-edge', 'commerce-inventory', 'commerce-payments', 'commerce-notifications']));

    const logged = Object.values(app.processes)
      .flatMap((p) => p.output.join('').split('\n'))
      .filter((line) => line.includes(TRACE_ID))
      .map((line) => JSON.parse(line) as { trace_id: string; span_id: string });
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((line) => line.trace_id === TRACE_ID && byId.has(line.span_id))).toBe(true);
  }, 180_000);
});
