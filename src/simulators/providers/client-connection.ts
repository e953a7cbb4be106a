import type { FastifyRequest } from 'fastify';

export interface Waiting {
  /** Aborted once the client's connection closes or the simulator stops. */
  signal: AbortSignal;
  /** Stops watching the connection, once the call no longer waits. */
  done(): void;
}

/** Watches a call that waits (a delay, a call never answered) for its client going away. */
export function whileClientWaits(request: FastifyRequest, closing: AbortSignal): Waiting {
  const socket = request.raw.socket;
  const gone = new AbortController();
  const abort = () => gone.abort();
  socket.once('close', abort);
  return { signal: AbortSignal.any([closing, gone.signal]), done: () => socket.off('close', abort) };
}
