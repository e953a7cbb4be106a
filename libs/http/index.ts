export * from './cursor';
export * from './openapi';
export * from './problem';
export * from './problem-details.filter';
export * from './problem-responses';
export * from './uuid';
export * from './validation';
