export * from './cursor';
export * from './json-depth';
export * from './openapi';
export * from './problem';
export * from './problem-details.filter';
export * from './problem-responses';
export * from './uuid';
export * from './validation';
