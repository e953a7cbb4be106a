import { defaultAttempts } from './retry';

export const maxDelayMs = (baseMs: number): number => baseMs * 2 ** defaultAttempts;
