import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { newId } from '../persistence/ids';
import { CacheEntry, InvalidationMessage, parseInvalidation } from './cache-entry';
import { CacheMetrics } from './cache.metrics';
import { CACHE_DEFAULTS, CacheOptions } from './cache.options';
import { RedisL2 } from './redis-l2';
import { ThrottledLog } from './throttled-log';

export type CacheSource = 'l1' | 'l2' | 'loader';

/** A value as JSON round-trips it: a Date comes back as its ISO string. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer E)[]
    ? Json<E>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export interface Cached<T> {
  /** A fresh copy, as JSON round-trips it, whatever the source. */
  value: Json<T>;
  source: CacheSource;
}

export type L2Health =
  | { status: 'disabled' }
  | { status: 'up'; host: string }
  | { status: 'down'; host: string; error: string };

interface Filled {
  entry: CacheEntry;
  source: 'l2' | 'loader';
}

/** One load under way for a key, shared by every caller that misses meanwhile (single-flight). */
interface Flight {
  generation: number;
  result: Promise<Filled>;
}

type SharedOperation = 'read' | 'write' | 'generation' | 'invalidate';

/** Invalidations to send to Redis, by namespace: keys to delete, or `all` when its generation must move. */
type Unsent = Map<string, Set<string> | 'all'>;

const FAILURE_MESSAGES: Record<SharedOperation, string> = {
  read: 'Redis read failed; served as a miss',
  write: 'Redis write failed; the entry stays in this instance only',
  generation: 'Redis generation read failed; the namespace is cached in this instance only until Redis answers',
  invalidate: 'Redis invalidation failed; it is sent again before this instance uses Redis next, other instances may serve the old entry until then',
};

/** A namespace whose generation Redis could not tell us; Redis counters are never negative. */
const UNCONFIRMED = -1;
/** Namespaces never contain ':', so `namespace:key` names exactly one entry. */
const NAMESPACE = /^[\w.-]{1,100}$/;
/** Beyond this many keys of one namespace waiting for Redis, the whole namespace is invalidated instead. */
const MAX_UNSENT_KEYS = 1000;

/**
 * Read-through cache in two levels: an in-process LRU (L1) in front of Redis (L2, when
 * `redisUrl` is set). Concurrent misses of one key share one loader call. Invalidations reach
 * every instance through Redis pub/sub. Each namespace has a generation, so a whole namespace
 * is invalidated by one counter increment instead of a key scan. Redis failures are logged and
 * count as misses: the cache never fails a request because of Redis. See docs/decisions/0007.
 */
export class TwoLevelCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TwoLevelCache.name);
  private readonly failures = new ThrottledLog(this.logger);
  private readonly instanceId: string;
  private readonly l1: LRUCache<string, CacheEntry>;
  /** Set at start when REDIS_URL is; until then every read is an L1 read. */
  private l2?: RedisL2;
  private readonly flights = new Map<string, Flight>();
  private readonly generations = new Map<string, number>();
  /** What `peek` callers made of each L1 entry, by their `derive`; it goes when the entry does. */
  private readonly derived = new WeakMap<CacheEntry, Map<(value: unknown) => unknown, unknown>>();
  /** Invalidations Redis did not take: it may still hold what they drop, so they go before any other command. */
  private unsent: Unsent = new Map();
  /** The sending of `unsent` under way, shared by every Redis operation that waits for it. */
  private sending?: Promise<void>;

  constructor(
    private readonly options: CacheOptions,
    private readonly metrics: CacheMetrics,
  ) {
    this.instanceId = options.instanceId ?? newId();
    this.l1 = new LRUCache({
      max: options.l1MaxEntries,
      maxSize: options.l1MaxBytes ?? CACHE_DEFAULTS.l1MaxBytes,
      sizeCalculation: (entry) => 2 * entry.json.length,
    });
  }

  /** Connects to Redis, waiting at most `connectTimeoutMs`: an absent Redis never blocks start-up. */
  async onModuleInit(): Promise<void> {
    const max = `${this.l1.max} entries, ${Math.round(this.l1.maxSize / 1024)} KiB`;
    if (!this.options.redisUrl) {
      this.logger.log(`cache is in-process only (L1, ${max}): REDIS_URL is not set`);
      return;
    }
    const prefix = this.options.keyPrefix ?? CACHE_DEFAULTS.keyPrefix;
    this.l2 = await RedisL2.create(
      {
        url: this.options.redisUrl,
        keyPrefix: prefix,
        // CLIENT SETNAME refuses spaces, and a refused name would fail every connection.
        clientName: `${prefix}:${this.instanceId}`.replace(/[^\w.:-]/g, '_'),
        timeoutMs: this.options.redisTimeoutMs ?? CACHE_DEFAULTS.redisTimeoutMs,
        connectTimeoutMs: this.options.connectTimeoutMs ?? CACHE_DEFAULTS.connectTimeoutMs,
      },
      {
        failed: (kind, error) =>
          this.failures.warn(kind, kind === 'read' ? FAILURE_MESSAGES.read : 'Redis connection failed', error),
        invalidation: (text) => this.onInvalidation(parseInvalidation(text)),
        subscribed: () => {
          // Until now this instance heard no invalidations (or missed some while disconnected).
          this.forgetAll();
          // And the others did not hear this one's: they need not wait for its next use of Redis.
          if (this.unsent.size > 0) void this.shared('invalidate', (l2) => this.sendUnsent(l2));
        },
      },
    );
    this.logger.log(`cache: L1 (${max}) + Redis L2 at ${this.l2.host}, key prefix "${prefix}"`);
    if (!(await this.l2.connect())) {
      this.logger.warn(
        `REDIS_URL: Redis at ${this.l2.host} is not reachable: serving from L1 alone, reconnecting in the background; start Redis or correct REDIS_URL`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.l2?.close();
  }

  /**
   * The cached value of `key` in `namespace`, or the loader's, which is then cached for `ttlMs`
   * in both levels. Concurrent callers that miss the same key share one loader call. A loader
   * error reaches every caller that waited for it and nothing is cached.
   */
  async getOrLoad<T>(namespace: string, key: string, ttlMs: number, loader: () => Promise<T>): Promise<Cached<T>> {
    checkNamespace(namespace);
    if (!(ttlMs > 0)) throw new RangeError(`cache TTL must be positive, got ${ttlMs}`);
    const id = entryId(namespace, key);
    const generation = await this.generation(namespace);
    const local = this.localHit<T>(namespace, id, generation);
    if (local) return local;
    let flight = this.flights.get(id);
    if (flight?.generation !== generation) flight = this.startFlight(namespace, key, generation, ttlMs, loader);
    let filled: Filled;
    try {
      filled = await flight.result;
    } catch (error) {
      this.metrics.misses.inc({ namespace });
      throw error;
    }
    if (filled.source === 'l2') this.metrics.hits.inc({ namespace, level: 'l2' });
    else this.metrics.misses.inc({ namespace });
    return { value: JSON.parse(filled.entry.json) as Json<T>, source: filled.source };
  }

  /**
   * The cached value of `key` in `namespace`, from L1 or else Redis, without loading it: undefined
   * when neither holds it, counted as a miss. For a caller that decides itself whether a value it
   * loads is worth keeping (and then reads it through `getOrLoad`); its own loads are not counted
   * as loads. A value found in Redis is not kept in L1.
   */
  async get<T>(namespace: string, key: string): Promise<Cached<T> | undefined> {
    checkNamespace(namespace);
    const generation = await this.generation(namespace);
    const local = this.localHit<T>(namespace, entryId(namespace, key), generation);
    if (local) return local;
    const shared = await this.sharedEntry(namespace, key, generation);
    if (!shared) {
      this.metrics.misses.inc({ namespace });
      return undefined;
    }
    this.metrics.hits.inc({ namespace, level: 'l2' });
    return { value: JSON.parse(shared.json) as Json<T>, source: 'l2' };
  }

  /**
   * What L1 holds for `key` now, as `derive` turns it into what the caller answers with (say, a
   * serialised HTTP response): `derive` runs once per entry, its result is kept with the entry
   * and leaves with it. Counts an L1 hit when it answers. Undefined, counting nothing, when L1
   * holds no current entry or `derive` made nothing of it: the caller then reads through
   * `getOrLoad`. Never waits for Redis or a loader. `derive` must depend on the value alone and
   * be the same function at every call.
   */
  peek<R>(namespace: string, key: string, derive: (value: unknown) => R): R | undefined {
    const generation = this.generations.get(namespace);
    // As `generation()` decides: an unconfirmed generation is asked of Redis first, when it answers.
    if (generation === undefined || (generation === UNCONFIRMED && this.l2?.ready)) return undefined;
    const entry = this.l1.get(entryId(namespace, key));
    if (entry?.generation !== generation) return undefined;
    let results = this.derived.get(entry);
    if (!results) {
      results = new Map();
      this.derived.set(entry, results);
    }
    if (!results.has(derive)) results.set(derive, derive(JSON.parse(entry.json)));
    const result = results.get(derive) as R | undefined;
    if (result !== undefined) this.metrics.hits.inc({ namespace, level: 'l1' });
    return result;
  }

  /**
   * Drops `key` here, in Redis and, through pub/sub, in every other instance's L1. When Redis
   * does not take it, it is sent again before this instance next reads or writes Redis.
   */
  async invalidate(namespace: string, key: string): Promise<void> {
    checkNamespace(namespace);
    this.dropLocal(entryId(namespace, key));
    if (!this.l2) return;
    const sent = await this.shared('invalidate', (l2) => this.sendKey(l2, namespace, key));
    if (!sent) this.remember(namespace, key);
  }

  /**
   * Makes every entry of `namespace` a miss, everywhere, by moving to its next generation. When
   * Redis does not take it, it is sent again before this instance next reads or writes Redis.
   */
  async invalidateNamespace(namespace: string): Promise<void> {
    checkNamespace(namespace);
    if (!this.l2) {
      this.generations.set(namespace, (this.generations.get(namespace) ?? 0) + 1);
      return;
    }
    const sent = await this.shared('invalidate', (l2) => this.sendNamespace(l2, namespace));
    if (!sent) {
      // Until Redis moves the generation, at least stop serving this namespace from L1 here.
      this.forgetNamespace(namespace);
      this.remember(namespace);
    }
  }

  /** Redis reachability for readiness checks; `disabled` when the cache runs without Redis. */
  async checkL2(): Promise<L2Health> {
    if (!this.l2) return { status: 'disabled' };
    try {
      await this.l2.ping();
      return { status: 'up', host: this.l2.host };
    } catch (error) {
      return { status: 'down', host: this.l2.host, error: String(error) };
    }
  }

  private startFlight(
    namespace: string,
    key: string,
    generation: number,
    ttlMs: number,
    loader: () => Promise<unknown>,
  ): Flight {
    const id = entryId(namespace, key);
    // An invalidation removes the flight from the map: its result is still returned, never kept.
    const stillWanted = (): boolean => this.flights.get(id) === flight;
    const flight: Flight = {
      generation,
      result: this.fill(namespace, key, generation, ttlMs, loader, stillWanted).finally(() => {
        if (stillWanted()) this.flights.delete(id);
      }),
    };
    this.flights.set(id, flight);
    return flight;
  }

  private async fill(
    namespace: string,
    key: string,
    generation: number,
    ttlMs: number,
    loader: () => Promise<unknown>,
    stillWanted: () => boolean,
  ): Promise<Filled> {
    const id = entryId(namespace, key);
    const shared = await this.sharedEntry(namespace, key, generation);
    if (shared) {
      if (stillWanted() && this.generations.get(namespace) === shared.generation) this.keep(id, shared);
      return { entry: shared, source: 'l2' };
    }
    this.metrics.loads.inc({ namespace });
    const value = await loader();
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw new TypeError(`cache loader of "${namespace}" returned ${typeof value}, not JSON`);
    const entry: CacheEntry = { json, generation, expiresAt: Date.now() + Math.ceil(ttlMs) };
    if (stillWanted() && this.generations.get(namespace) === generation) {
      this.keep(id, entry);
      await this.shared('write', (l2) => l2.write(namespace, key, entry));
    }
    return { entry, source: 'loader' };
  }

  /** L1's current entry of `id`, counted as a hit, as a fresh copy. */
  private localHit<T>(namespace: string, id: string, generation: number): Cached<T> | undefined {
    const local = this.l1.get(id);
    if (local?.generation !== generation) return undefined;
    this.metrics.hits.inc({ namespace, level: 'l1' });
    return { value: JSON.parse(local.json) as Json<T>, source: 'l1' };
  }

  /** Redis's entry of `key` when it is of `generation` or a later one; undefined without Redis. */
  private async sharedEntry(namespace: string, key: string, generation: number): Promise<CacheEntry | undefined> {
    const shared = await this.shared('read', (l2) => l2.read(namespace, key));
    const current = shared !== undefined && shared.generation >= generation;
    if (this.l2) {
      // Both series of the namespace exist from its first read, so their rates are defined from then on.
      this.metrics.redisHits.inc({ namespace }, current ? 1 : 0);
      this.metrics.redisMisses.inc({ namespace }, current ? 0 : 1);
    }
    if (!current) return undefined;
    // A newer generation in Redis means this instance missed a namespace invalidation.
    this.learnGeneration(namespace, shared.generation);
    return shared;
  }

  private async generation(namespace: string): Promise<number> {
    const known = this.generations.get(namespace);
    if (!this.l2) {
      if (known !== undefined) return known;
      this.generations.set(namespace, 0);
      return 0;
    }
    if (known !== undefined && (known !== UNCONFIRMED || !this.l2.ready)) return known;
    const stored = await this.shared('generation', (l2) => l2.generation(namespace));
    // A message may have brought a newer generation while Redis answered.
    const latest = Math.max(stored ?? UNCONFIRMED, this.generations.get(namespace) ?? UNCONFIRMED);
    this.generations.set(namespace, latest);
    return latest;
  }

  private learnGeneration(namespace: string, generation: number): void {
    if (generation > (this.generations.get(namespace) ?? UNCONFIRMED)) this.generations.set(namespace, generation);
  }

  private onInvalidation(message: InvalidationMessage | undefined): void {
    if (!message || message.origin === this.instanceId) return;
    if ('key' in message) this.dropLocal(entryId(message.namespace, message.key));
    else this.learnGeneration(message.namespace, message.generation);
  }

  /** Delete before telling: an instance told first could reload the old entry from Redis. */
  private async sendKey(l2: RedisL2, namespace: string, key: string): Promise<true> {
    await l2.delete(namespace, key);
    await this.publish(l2, { origin: this.instanceId, namespace, key });
    return true;
  }

  private async sendNamespace(l2: RedisL2, namespace: string): Promise<true> {
    const generation = await l2.nextGeneration(namespace);
    this.learnGeneration(namespace, generation);
    await this.publish(l2, { origin: this.instanceId, namespace, generation });
    return true;
  }

  private async publish(l2: RedisL2, message: InvalidationMessage): Promise<void> {
    await l2.publish(JSON.stringify(message));
  }

  /** An invalidation to send again; past MAX_UNSENT_KEYS keys its namespace's generation moves instead. */
  private remember(namespace: string, key?: string): void {
    const keys = this.unsent.get(namespace);
    if (keys === 'all') return;
    if (key === undefined || (keys?.size ?? 0) >= MAX_UNSENT_KEYS) this.unsent.set(namespace, 'all');
    else if (keys) keys.add(key);
    else this.unsent.set(namespace, new Set([key]));
  }

  /** Sends what Redis missed, once for every operation waiting meanwhile; throws while Redis still fails. */
  private sendUnsent(l2: RedisL2): Promise<void> {
    if (!this.sending) {
      const batch = this.unsent;
      this.unsent = new Map();
      this.sending = this.sendEach(l2, batch).finally(() => {
        this.sending = undefined;
      });
    }
    return this.sending;
  }

  private async sendEach(l2: RedisL2, batch: Unsent): Promise<void> {
    try {
      for (const [namespace, keys] of batch) {
        if (keys === 'all') await this.sendNamespace(l2, namespace);
        else {
          for (const key of keys) {
            await this.sendKey(l2, namespace, key);
            keys.delete(key);
          }
        }
        batch.delete(namespace);
      }
    } finally {
      // What Redis did not take waits for the next attempt, beside what failed meanwhile.
      for (const [namespace, keys] of batch) {
        if (keys === 'all') this.remember(namespace);
        else for (const key of keys) this.remember(namespace, key);
      }
    }
  }

  private keep(id: string, entry: CacheEntry): void {
    const ttl = entry.expiresAt - Date.now();
    if (ttl > 0) this.l1.set(id, entry, { ttl });
  }

  private dropLocal(id: string): void {
    this.l1.delete(id);
    this.flights.delete(id);
  }

  /** Scans L1, which is bounded and in-process; only for when Redis failed to move a generation. */
  private forgetNamespace(namespace: string): void {
    const prefix = entryId(namespace, '');
    this.generations.delete(namespace);
    for (const id of [...this.l1.keys(), ...this.flights.keys()]) {
      if (id.startsWith(prefix)) this.dropLocal(id);
    }
  }

  private forgetAll(): void {
    this.generations.clear();
    this.l1.clear();
    this.flights.clear();
  }

  /**
   * Runs a Redis operation, once Redis took the invalidations it missed; when Redis is away or
   * fails, logs (throttled) and answers undefined.
   */
  private async shared<R>(operation: SharedOperation, run: (l2: RedisL2) => Promise<R>): Promise<R | undefined> {
    const l2 = this.l2;
    if (!l2) return undefined;
    try {
      if (!l2.ready) throw new Error(`Redis at ${l2.host} is not connected`);
      while (this.sending || this.unsent.size > 0) await this.sendUnsent(l2);
      return await run(l2);
    } catch (error) {
      if (operation === 'invalidate') this.failures.error(operation, FAILURE_MESSAGES[operation], error);
      else this.failures.warn(operation, FAILURE_MESSAGES[operation], error);
      return undefined;
    }
  }
}

function checkNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) {
    throw new RangeError(`cache namespace must match ${String(NAMESPACE)}, got "${namespace}"`);
  }
}

function entryId(namespace: string, key: string): string {
  return `${namespace}:${key}`;
}
