import type { createClient } from '@keyv/redis';
import { backoffDelay } from '../resilience/backoff';
import { rejectAfter } from '../resilience/timeout';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisConnectionSettings {
  url: string;
  /** Shown by CLIENT LIST, to tell which app and instance holds a connection. */
  clientName: string;
  connectTimeoutMs: number;
}

/**
 * A node-redis client (through `@keyv/redis`, loaded only by a process with REDIS_URL) that fails
 * commands at once instead of queueing them while Redis is away (`disableOfflineQueue`) and
 * reconnects with backoff forever. Not connected yet.
 */
export async function createRedisClient(settings: RedisConnectionSettings): Promise<RedisClient> {
  const { createClient } = await import('@keyv/redis');
  return createClient({
    url: settings.url,
    name: settings.clientName,
    disableOfflineQueue: true,
    // Finds a silently dead connection, so a subscriber reconnects instead of missing messages.
    pingInterval: 10_000,
    socket: {
      connectTimeout: settings.connectTimeoutMs,
      reconnectStrategy: (retries: number) => backoffDelay(retries + 1, { baseMs: 100, maxMs: 5_000 }),
    },
  });
}

export class RedisTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`Redis ${what} took longer than ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** `operation`, or a RedisTimeoutError after `ms`: a slow Redis must not hold a request up. */
export function withTimeout<T>(what: string, operation: Promise<T>, ms: number): Promise<T> {
  return rejectAfter(operation, ms, () => new RedisTimeoutError(what, ms));
}
