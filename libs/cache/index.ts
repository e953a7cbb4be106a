export * from './cache.metrics';
export * from './cache.module';
export * from './cache.options';
export * from './redis-connection';
export * from './throttled-log';
export * from './two-level-cache';
