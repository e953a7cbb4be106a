export * from './order-cancelled.v1';
export * from './order-completed.v1';
export * from './order-confirmed.v1';
export * from './order-rejected.v1';
export * from './payloads';
