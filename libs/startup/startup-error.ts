/**
 * A start-up failure the operator can fix, with a message that says what to change (naming the
 * setting). The start-up reporter prints such a message as is, on one line, with no stack;
 * any other error is reported as an unexpected failure. Extend it for errors of that kind, e.g.
 * a data directory locked by another process.
 */
export class StartupError extends Error {
  /** Marks the error as user-facing where `instanceof` fails (an error from another copy of this file). */
  readonly userFacing = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for a StartupError, or any error that marks itself `userFacing: true`. */
export function isStartupError(error: unknown): error is Error & { userFacing: true } {
  return (
    error instanceof StartupError ||
    (error instanceof Error && (error as Error & { userFacing?: unknown }).userFacing === true)
  );
}
