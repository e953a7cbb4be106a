export * from './backoff';
export * from './circuit-breaker';
export * from './circuit-breaker-registry';
export * from './bulkhead';
export * from './timeout';
