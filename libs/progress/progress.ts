import { Logger } from '@nestjs/common';
import { Presets, SingleBar } from 'cli-progress';

/**
 * How far a long job got, in counts. A job announces each phase with its size and then the
 * units done so far; how that is shown (a bar, log lines, nothing) is the reporter's business.
 */
export interface Progress {
  /** A new phase of `total` units (null: not known up front). */
  start(phase: string, total: number | null): void;
  /** Units of the current phase done so far (absolute, not a delta). */
  update(done: number): void;
  /** The current phase is over. */
  stop(): void;
}

export const NO_PROGRESS: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

/** How often a log line repeats where no bar can be drawn. */
export const PROGRESS_LOG_INTERVAL_MS = 5_000;

interface Phase {
  name: string;
  total: number | null;
  done: number;
  startedAt: number;
}

function perSecond(phase: Phase, now: number): number {
  return phase.done / Math.max((now - phase.startedAt) / 1000, 0.001);
}

/** `1234/5000 (25%), 310/s, about 12 s left`, or without the parts an unknown total cannot give. */
export function describeProgress(phase: Phase, now: number): string {
  const rate = perSecond(phase, now);
  const parts = [`${phase.done}${phase.total === null ? '' : `/${phase.total}`}`];
  if (phase.total) parts[0] += ` (${Math.floor((100 * phase.done) / phase.total)}%)`;
  parts.push(`${Math.round(rate)}/s`);
  if (phase.total !== null && rate > 0 && phase.done < phase.total) {
    parts.push(`about ${Math.ceil((phase.total - phase.done) / rate)} s left`);
  }
  return `${phase.name}: ${parts.join(', ')}`;
}

/** A line through Nest's logger when a phase starts, every few seconds while it runs, and when it ends. */
export class LoggedProgress implements Progress {
  private readonly logger: Logger;
  private phase?: Phase;
  private lastLine = 0;

  constructor(
    context: string,
    private readonly intervalMs = PROGRESS_LOG_INTERVAL_MS,
    private readonly clock: () => number = Date.now,
  ) {
    this.logger = new Logger(context);
  }

  start(name: string, total: number | null): void {
    this.phase = { name, total, done: 0, startedAt: this.clock() };
    this.lastLine = this.phase.startedAt;
    this.logger.log(`${name}: ${total === null ? 'started' : `0/${total}`}`);
  }

  update(done: number): void {
    if (!this.phase) return;
    this.phase.done = done;
    const now = this.clock();
    if (now - this.lastLine < this.intervalMs) return;
    this.lastLine = now;
    this.logger.log(describeProgress(this.phase, now));
  }

  stop(): void {
    if (!this.phase) return;
    const now = this.clock();
    this.logger.log(`${describeProgress(this.phase, now)}; done in ${((now - this.phase.startedAt) / 1000).toFixed(1)} s`);
    this.phase = undefined;
  }
}

/** A bar redrawn in place on a terminal: count, rate and time left. */
export class BarProgress implements Progress {
  private bar?: SingleBar;
  private phase?: Phase;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(name: string, total: number | null): void {
    this.stop();
    this.phase = { name, total, done: 0, startedAt: Date.now() };
    const format =
      total === null
        ? `${name} {value} | {rate}/s | {duration_formatted}`
        : `${name} [{bar}] {value}/{total} {percentage}% | {rate}/s | ETA {eta_formatted}`;
    this.bar = new SingleBar({ format, stream: this.stream, hideCursor: true, etaBuffer: 50 }, Presets.shades_classic);
    this.bar.start(total ?? 0, 0, { rate: 0 });
  }

  update(done: number): void {
    if (!this.bar || !this.phase) return;
    this.phase.done = done;
    this.bar.update(done, { rate: Math.round(perSecond(this.phase, Date.now())) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.phase = undefined;
  }
}

/** A bar when stderr is a terminal, else log lines every few seconds: progress never mixes with stdout. */
export function progressOnStderr(context: string): Progress {
  return process.stderr.isTTY ? new BarProgress(process.stderr) : new LoggedProgress(context);
}
