import { AppProcess, freePort } from '../support/app-process';
import { bearer, newCustomerAt } from '../support/auth';
import { ExportedSpan, otlpReceiver } from '../support/otlp-receiver';
import { eventually } from '../support/test-app';

const DEMO_TEE = '0190a000-0000-7000-8000-000000000001';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('Traces exported over OTLP', () => {

  it('follows an order from the HTTP request through the outbox to every consumer in one trace', async () => {
    const receiver = await otlpReceiver();
    const app = new AppProcess(await freePort(), {
      DATA_DIR: 'memory://',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
    });
    try {
      await app.start();
      const { session } = await newCustomerAt(app.url);
      const placed = await fetch(`${app.url}/api/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(session), traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
        body: JSON.stringify({ items: [{ productId: DEMO_TEE, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } }),
      });
      expect(placed.status).toBe(202);
      const { id } = (await placed.json()) as { id: string };
      await eventually(async () => {
        const order = (await (await fetch(`${app.url}/api/v1/orders/${id}`, { headers: bearer(session) })).json()) as { status: string };
        expect(order.status).toBe('COMPLETED');
      });
    } finally {
      // SIGTERM exports the spans still buffered.
      await app.stop();
      receiver.server.close();
    }
    const trace = receiver.spans.filter((s) => s.traceId.toLowerCase() === TRACE_ID);
    const named = (name: string) => trace.filter((s) => s.name === name);
    /**
     * The spans that handled what `publish` sent: each consumer's span is its child, or, when the
     * message was handled in a batch with others (the saga's two replies may arrive together), a
     * batch span that links to it.
     */
    const handlersOf = (publish: ExportedSpan) =>
      trace.filter(
        (s) => s.name.startsWith('handle ') && (s.parentSpanId === publish.spanId || s.links.some((link) => link.spanId === publish.spanId)),
      );
    const [request] = named('POST /api/v1/orders');
    expect(request).toMatchObject({ parentSpanId: '00f067aa0ba902b7' });
    const [publishReserve] = named('publish inventory.stock.reserve');
    const [publishReserved] = named('publish inventory.stock.reserved');
    // request → publish → handle (inventory) → publish reply → handle (ordering): one causal chain.
    const [handleReserve] = handlersOf(publishReserve);
    expect(handleReserve.name).toBe('handle inventory.stock.reserve');
    expect(publishReserved.parentSpanId).toBe(handleReserve.spanId);
    expect(handlersOf(publishReserved)).toHaveLength(1);
    expect(handlersOf(named('publish payments.payment.authorize')[0])).toHaveLength(1);
    // Each consumer of the confirmation handles it once, in the same trace.
    const consumer = (s: ExportedSpan) => s.attributes.find((a) => a.key === 'messaging.consumer')?.value.stringValue ?? '';
    const contextsOf = (spans: ExportedSpan[]) => spans.map((s) => consumer(s).split('/')[0]).sort();
    expect(contextsOf(handlersOf(named('publish ordering.order.confirmed')[0]))).toEqual(['notifications', 'receipts']);
  });
});
