import { maxDelayMs } from './backoff';

export const defaultAttempts = 5;
export const retryBudgetMs = (): number => maxDelayMs(100);
