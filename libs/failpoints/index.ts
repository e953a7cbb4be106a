export * from './failpoint-names';
export * from './failpoint-settings';
export * from './failpoints';
