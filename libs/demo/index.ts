export * from './demo-catalog';
