import type { Keyv } from '@keyv/redis';
import type { Cache } from 'cache-manager';
import { CacheEntry, isCacheEntry } from './cache-entry';
import { createRedisClient, RedisClient, withTimeout } from './redis-connection';

export interface RedisL2Settings {
  url: string;
  keyPrefix: string;
  /** Shown by CLIENT LIST, to tell which app and instance holds a connection. */
  clientName: string;
  timeoutMs: number;
  connectTimeoutMs: number;
}

export interface RedisL2Events {
  /** A command or the connection failed; the cache goes on without L2 for that call. */
  failed(kind: 'connection' | 'read', error: unknown): void;
  invalidation(message: string): void;
  /** Invalidations are heard from now on: first subscription, and again after every reconnection. */
  subscribed(): void;
}

/**
 * The shared level: entries through cache-manager over a Keyv Redis store (node-redis), namespace
 * generations as plain Redis counters, invalidations on a pub/sub channel read by a second
 * connection (a subscribed connection can run no other command).
 *
 * Commands fail fast instead of queueing while Redis is away (`disableOfflineQueue`) and are cut
 * off after `timeoutMs`, so a slow or absent Redis costs a request a miss, never a wait.
 */
export class RedisL2 {
  readonly host: string;
  private readonly subscriber: RedisClient;
  private readonly channel: string;
  private subscribed = false;

  /** Loads the Redis client and cache-manager: only a process with REDIS_URL needs them. */
  static async create(settings: RedisL2Settings, events: RedisL2Events): Promise<RedisL2> {
    const [data, { default: KeyvRedis, Keyv }, { createCache }] = await Promise.all([
      createRedisClient(settings),
      import('@keyv/redis'),
      import('cache-manager'),
    ]);
    // Keyv over our client, with our keys as they are (no Keyv namespace) and errors thrown, not swallowed.
    const store: Keyv = new Keyv(new KeyvRedis(data, { throwOnErrors: true }), { useKeyPrefix: false, throwOnErrors: true });
    store.namespace = undefined;
    return new RedisL2(settings, events, data, createCache({ stores: [store] }));
  }

  private constructor(
    private readonly settings: RedisL2Settings,
    private readonly events: RedisL2Events,
    private readonly data: RedisClient,
    private readonly entries: Cache,
  ) {
    this.host = new URL(settings.url).host;
    this.channel = `${settings.keyPrefix}:invalidations`;
    this.subscriber = this.data.duplicate({ name: `${settings.clientName}:subscriber` });
    for (const client of [this.data, this.subscriber]) {
      client.on('error', (error: unknown) => events.failed('connection', error));
    }
    // node-redis subscribes again before a reconnected client is ready; what was sent meanwhile is lost.
    this.subscriber.on('ready', () => {
      if (this.subscribed) events.subscribed();
    });
    // cache-manager turns a failed read into a miss and reports it only as an event.
    this.entries.on('get', ({ error }) => {
      if (error) events.failed('read', error);
    });
  }

  /** Redis answers commands now; while it does not, the cache skips L2 without trying. */
  get ready(): boolean {
    return this.data.isReady;
  }

  /**
   * Connects and subscribes; false when that took longer than `connectTimeoutMs`, in which case
   * the connections keep retrying in the background and report `subscribed` once they made it.
   */
  async connect(): Promise<boolean> {
    const subscription = (async () => {
      await Promise.all([this.data.connect(), this.subscriber.connect()]);
      await this.subscriber.subscribe(this.channel, (message) => this.events.invalidation(message));
      this.subscribed = true;
      this.events.subscribed();
    })();
    return withTimeout('connect', subscription, this.settings.connectTimeoutMs).then(
      () => true,
      (error: unknown) => {
        this.events.failed('connection', error);
        return false;
      },
    );
  }

  async read(namespace: string, key: string): Promise<CacheEntry | undefined> {
    const stored = await this.bounded('read', this.entries.get<unknown>(this.entryKey(namespace, key)));
    return isCacheEntry(stored) ? stored : undefined;
  }

  async write(namespace: string, key: string, entry: CacheEntry): Promise<void> {
    const ttlMs = entry.expiresAt - Date.now();
    if (ttlMs > 0) await this.bounded('write', this.entries.set(this.entryKey(namespace, key), entry, ttlMs));
  }

  async delete(namespace: string, key: string): Promise<void> {
    await this.bounded('delete', this.entries.del(this.entryKey(namespace, key)));
  }

  async generation(namespace: string): Promise<number> {
    return Number((await this.bounded('generation read', this.data.get(this.generationKey(namespace)))) ?? 0);
  }

  async nextGeneration(namespace: string): Promise<number> {
    return this.bounded('generation increment', this.data.incr(this.generationKey(namespace)));
  }

  async publish(message: string): Promise<void> {
    await this.bounded('publish', this.data.publish(this.channel, message));
  }

  async ping(): Promise<void> {
    await this.bounded('ping', this.data.ping());
  }

  async close(): Promise<void> {
    this.subscribed = false;
    await Promise.all(
      [this.data, this.subscriber].map(async (client) => {
        if (client.isReady) await client.close();
        else if (client.isOpen) client.destroy();
      }),
    );
  }

  private entryKey(namespace: string, key: string): string {
    return `${this.settings.keyPrefix}:v:${namespace}:${key}`;
  }

  private generationKey(namespace: string): string {
    return `${this.settings.keyPrefix}:g:${namespace}`;
  }

  private bounded<T>(what: string, command: Promise<T>): Promise<T> {
    return withTimeout(what, command, this.settings.timeoutMs);
  }
}
