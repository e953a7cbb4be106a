export * from './cache.metrics';
export * from './cache.module';
export * from './cache.options';
export * from './two-level-cache';
