export * from './message';
export * from './registry';
export * as catalog from './catalog';
export * as inventory from './inventory';
export * as payments from './payments';
export * as ordering from './ordering';
export * as identity from './identity';
export * as receipts from './receipts';
