import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteGenericInterface } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { MutationHandler, Outcome } from './idempotency';
import type { ProviderName } from './provider-names';
import type { WebhookDispatcher } from './webhooks';

/** Where a provider adds its routes. */
export interface ProviderRoutes {
  /** A scope under the provider's prefix that already counts calls and injects faults. */
  scope: FastifyInstance;
  /** A mutating route's handler: runs the work at most once per idempotency key (`idempotent`). */
  mutation: <Route extends RouteGenericInterface>(run: (request: FastifyRequest<Route>) => Outcome | Promise<Outcome>) => MutationHandler<Route>;
}

/** What a payment provider needs of the simulator around it. */
export interface PaymentProviderContext {
  webhooks: WebhookDispatcher;
  /** Aborted when the simulator stops: calls held open end then. */
  closing: AbortSignal;
}

/** One outside party: its routes under a prefix of its own, its state, and the header its clients send keys in. */
export interface SimulatedProvider {
  readonly name: ProviderName;
  /** Where its routes live, as `/card/v1`. */
  readonly prefix: string;
  /** Lower case, as Node presents request headers. */
  readonly idempotencyHeader: string;
  register(routes: ProviderRoutes): void;
  /** Forgets every resource it holds. */
  clear(): void;
}

/**
 * Resources (intents, orders, messages) kept per kind: the newest ones only, so a simulator that
 * serves a long load test holds bounded memory; a resource that old is not touched again.
 */
const RESOURCES_KEPT = 100_000;

/**
 * The newest `kept` entries. Bounded by `maxSize` with a size of one an entry rather than by
 * `max`, with which lru-cache allocates its arrays for every entry up front: seven stores of
 * 100,000 took about 20 MB of a simulator that holds a few thousand.
 */
export function resourceStore<V extends object>(kept = RESOURCES_KEPT): LRUCache<string, V> {
  return new LRUCache<string, V>({ maxSize: kept, sizeCalculation: () => 1 });
}

export function newId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
