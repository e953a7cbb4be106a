export * from './correlation.interceptor';
export * from './http-metrics';
export * from './logging';
export { openSpan, SpanKind, startTracing, Tracing, TracingOptions } from './tracing';
export * from './scraped-gauge';
