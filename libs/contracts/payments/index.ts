export * from './authorize-payment.v1';
export * from './capture-payment.v1';
export * from './payloads';
export * from './payment-authorized.v1';
export * from './payment-captured.v1';
export * from './payment-declined.v1';
export * from './payment-voided.v1';
export * from './void-payment.v1';
