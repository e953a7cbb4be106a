import { Logger } from '@nestjs/common';

/**
 * Logs the first failure of a kind at once and then at most one line per interval with the
 * number of failures in between, so an unreachable Redis cannot flood the logs.
 */
export class ThrottledLog {
  private readonly kinds = new Map<string, { loggedAt: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(kind: string, message: string, error: unknown): void {
    this.write('warn', kind, message, error);
  }

  error(kind: string, message: string, error: unknown): void {
    this.write('error', kind, message, error);
  }

  private write(level: 'warn' | 'error', kind: string, message: string, error: unknown): void {
    const now = this.now();
    const state = this.kinds.get(kind);
    if (state && now - state.loggedAt < this.intervalMs) {
      state.suppressed++;
      return;
    }
    const suppressed = state?.suppressed ? ` (${state.suppressed} more since the last report)` : '';
    this.logger[level](`${message}: ${describe(error)}${suppressed}`);
    this.kinds.set(kind, { loggedAt: now, suppressed: 0 });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
