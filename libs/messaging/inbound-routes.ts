import { Provider } from '@nestjs/common';
import { ICommand } from '@nestjs/cqrs';
import { ContextName, MessageClass } from '../contracts/message';

export interface InboundRouteOptions {
  /**
   * True when the command's handler commits more than once, around a remote call (a payment
   * provider), or commits long work of its own that the other contexts' deliveries need not wait
   * for (search indexing): it runs outside the batch's shared transaction, so that none stays open
   * while a remote system answers, and the relay's next delivery does not wait for it. A
   * `BatchCommandHandler` still gets many such commands at once and records them all in the inbox
   * in its final unit of work. Default false.
   */
  ownTransactions?: boolean;
}

/** What a route may know of a message besides its payload. */
export interface InboundMessage {
  /** When the message was published (ISO 8601): when what it tells happened, however late it arrives. */
  readonly occurredAt: string;
}

/** What a context does with one contract message: the local command it becomes. */
export interface InboundRoute<P = unknown> {
  readonly message: MessageClass<P>;
  readonly toCommand: (payload: P, message: InboundMessage) => ICommand;
  readonly ownTransactions: boolean;
}

/** The messages a context consumes, each mapped to a command of its own. */
export class InboundRoutes {
  constructor(
    readonly context: ContextName,
    readonly routes: readonly InboundRoute[],
  ) {}

  /** Registers the routes in the context's module, where messaging and the topology find them. */
  get provider(): Provider {
    return { provide: Symbol(`${this.context} inbound routes`), useValue: this };
  }
}

/**
 * Declares a context's consumers: `consumes('inventory', [on(ReserveStockV1, (p) => new
 * ReserveStockCommand(p.orderId, p.lines))])`. Messaging delivers each message at most once
 * per context (inbox), executes its command on the command bus, and batches deliveries.
 */
export function consumes(context: ContextName, routes: readonly InboundRoute[]): InboundRoutes {
  return new InboundRoutes(context, routes);
}

export function on<P>(
  message: MessageClass<P>,
  toCommand: (payload: P, message: InboundMessage) => ICommand,
  options: InboundRouteOptions = {},
): InboundRoute {
  return { message, toCommand, ownTransactions: options.ownTransactions ?? false } as InboundRoute;
}

/** The inbound routes registered among a module's providers. */
export function inboundRoutesIn(providers: readonly unknown[]): InboundRoutes[] {
  return providers
    .map((provider) => (provider as { useValue?: unknown } | null)?.useValue)
    .filter((value): value is InboundRoutes => value instanceof InboundRoutes);
}
