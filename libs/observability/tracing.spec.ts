import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { inSpan, SpanKind } from './tracing';

const FIRST = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const SECOND = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
const traceparentOf = ({ traceId, spanId }: typeof FIRST) => `00-${traceId}-${spanId}-01`;

describe('inSpan', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  beforeAll(() => provider.register());
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it("makes a batch's span the child of its first message and links it to every message it handled", async () => {
    const handled = [traceparentOf(FIRST), traceparentOf(SECOND), null, 'not a traceparent'];
    await inSpan('handle 2 × test.thing', SpanKind.CONSUMER, traceparentOf(FIRST), {}, () => Promise.resolve(), handled);

    const [span] = exporter.getFinishedSpans();
    expect(span.spanContext().traceId).toBe(FIRST.traceId);
    expect(span.parentSpanContext?.spanId).toBe(FIRST.spanId);
    expect(span.links.map(({ context: linked }) => ({ traceId: linked.traceId, spanId: linked.spanId }))).toEqual([FIRST, SECOND]);
  });

  it('links nothing for one message', async () => {
    await inSpan('handle test.thing', SpanKind.CONSUMER, traceparentOf(SECOND), {}, () => Promise.resolve());

    const [span] = exporter.getFinishedSpans();
    expect(span.parentSpanContext?.spanId).toBe(SECOND.spanId);
    expect(span.links).toEqual([]);
  });
});
