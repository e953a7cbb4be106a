export * from './background-work';
export * from './data-source.factory';
export * from './data-directory-lock';
export * from './database.module';
export * from './ids';
export * from './read-model-rebuilder';
export * from './sql';
export * from './generic-plan-pool';
