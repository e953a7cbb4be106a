import { Context, context, isSpanContextValid, Link, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP endpoint (e.g. http://jaeger:4318); without it no span is recorded or exported. */
  otlpEndpoint?: string;
}

export interface Tracing {
  /** Exports the spans still buffered; call after the application has closed. */
  shutdown(): Promise<void>;
}

const tracer = () => trace.getTracer('commerce-core');

/** Whether spans are recorded and exported: client spans (queries, broker sends) are made only then. */
let recording = false;

/**
 * The W3C propagator used directly rather than through the global API: with tracing off, the
 * no-op tracer's spans keep the incoming span context, so an incoming traceparent still passes
 * through to the messages a request causes.
 */
const w3c = new W3CTraceContextPropagator();
const carrierSetter = { set: (carrier: Record<string, string>, key: string, value: string) => (carrier[key] = value) };
const carrierGetter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};

/**
 * Records spans and exports them over OTLP/HTTP when an endpoint is configured. The SDK and the
 * exporter are loaded only then: a process that exports nothing starts without them.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (!options.otlpEndpoint) return { shutdown: () => Promise.resolve() };
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor, NodeTracerProvider }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` }))],
  });
  provider.register();
  recording = true;
  return {
    shutdown: () => {
      recording = false;
      return provider.shutdown();
    },
  };
}

export function traceparentOf(span: Span): string | null {
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(context.active(), span), carrier, carrierSetter);
  return carrier.traceparent ?? null;
}

function parentContext(traceparent: string | null | undefined): Context {
  return traceparent ? w3c.extract(context.active(), { traceparent }, carrierGetter) : context.active();
}

/** Links to the spans of these W3C traceparents; absent or invalid ones are left out. */
function linksTo(traceparents: readonly (string | null | undefined)[]): Link[] {
  return traceparents.flatMap((traceparent) => {
    const spanContext = traceparent ? trace.getSpanContext(w3c.extract(ROOT_CONTEXT, { traceparent }, carrierGetter)) : undefined;
    return spanContext && isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
  });
}

/**
 * Runs `work` in a new span whose parent is the given W3C traceparent (of an HTTP request or
 * a message); `work` gets the span, whose own traceparent goes into what it sends on. `links`:
 * the traceparents of every message a batch's span handles, as OpenTelemetry's messaging
 * conventions link a batch to each message it processed (a span has one parent, a batch many causes).
 */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: string | null | undefined,
  attributes: Record<string, string | number>,
  work: (span: Span) => Promise<T>,
  links: readonly (string | null | undefined)[] = [],
): Promise<T> {
  const parentOfSpan = parentContext(parent);
  const span = tracer().startSpan(name, { kind, attributes }, parentOfSpan);
  // Parsed only for a span that is recorded: a process that exports nothing pays nothing per batch.
  if (links.length > 0 && span.isRecording()) span.addLinks(linksTo(links));
  try {
    return await context.with(trace.setSpan(parentOfSpan, span), () => work(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * A database statement as a CLIENT span, child of the active span, when spans are recorded and the
 * statement is part of one (a request, a message handled). Otherwise `run` runs bare and
 * `statement` is never asked for: a process that exports nothing pays nothing per query, and
 * background polling (the relay claiming its outbox rows) does not flood the exporter with
 * traces of one query each. The span is named after the statement's first keyword (SELECT,
 * INSERT, COMMIT…), as OpenTelemetry names database operations, and carries the statement
 * (parameterised, so without values), shortened.
 */
export function inQuerySpan<T>(statement: () => string, run: () => Promise<T>): Promise<T> {
  if (!recording || trace.getActiveSpan()?.isRecording() !== true) return run();
  const text = statement();
  const span = tracer().startSpan(/^\s*(\w+)/.exec(text)?.[1].toUpperCase() ?? 'QUERY', {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system': 'postgresql', 'db.query.text': text.length > 300 ? `${text.slice(0, 300)}…` : text },
  });
  return run().then(
    (result) => {
      span.end();
      return result;
    },
    (error: unknown) => {
      failSpan(span, error);
      span.end();
      throw error;
    },
  );
}

/** The active span's ids for a log line, so the line leads to its trace. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : undefined;
}

/** A span for work that is not one call (a message in a batch); the caller ends it. */
export function openSpan(name: string, kind: SpanKind, parent: string | null | undefined, attributes: Record<string, string | number>): Span {
  return tracer().startSpan(name, { kind, attributes }, parentContext(parent));
}

export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

export { SpanKind };
