export * from './order-confirmed.v1';
export * from './order-rejected.v1';
export * from './payloads';
