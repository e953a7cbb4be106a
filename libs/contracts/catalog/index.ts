export * from './product-snapshot.v1';
export * from './product-created.v1';
export * from './product-updated.v1';
export * from './product-archived.v1';
