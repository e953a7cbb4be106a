export * from './correlation.interceptor';
export * from './http-metrics';
export * from './logging';
export { startTracing, Tracing, TracingOptions } from './tracing';
