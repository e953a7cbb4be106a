export * from './envelope';
export * from './inbound-handler';
export * from './message-context';
export * from './messaging.errors';
export * from './messaging.module';
export * from './messaging.options';
export * from './unit-of-work';
