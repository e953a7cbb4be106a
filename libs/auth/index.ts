export * from './auth.module';
export * from './auth.options';
export * from './access-token.strategy';
export * from './permissions';
export * from './policy';
export * from './principal';
export * from './token-keys';
export * from './openapi';
export { BEARER_CHALLENGE } from './policy.guard';
