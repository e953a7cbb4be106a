export * from './correlation.interceptor';
export * from './http-metrics';
export * from './logging';
