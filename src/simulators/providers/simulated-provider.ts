import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteGenericInterface } from 'fastify';
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

export function newId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
