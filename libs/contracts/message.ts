import { INT32_MAX, integer, object, PayloadSchema, text, uuid } from './schema';

/** Which way a message flows: a command has one owning consumer, an event any number. */
export type MessageKind = 'command' | 'event';

/** The bounded contexts; a process hosts some or all of them. */
export const CONTEXT_NAMES = ['catalog', 'inventory', 'ordering', 'payments', 'notifications', 'identity', 'receipts'] as const;
export type ContextName = (typeof CONTEXT_NAMES)[number];

/** Wire identity of a contract: routing and decoding use `type` + `version`, never class names. */
export interface MessageDefinition {
  readonly type: string;
  readonly version: number;
  readonly kind: MessageKind;
  /** For a command, the context that handles it; for an event, the context that publishes it. */
  readonly context: ContextName;
}

/** An instance of a contract message: a JSON-safe payload plus its class' wire identity. */
export interface IntegrationMessage<P = unknown> {
  readonly payload: P;
}

export interface MessageClass<P = unknown> {
  readonly definition: MessageDefinition;
  /** The payload's wire shape: a consumer decodes only payloads that match it. */
  readonly schema: PayloadSchema<P>;
  new (payload: P): IntegrationMessage<P>;
}

/**
 * Builds the base class of a contract. Usage:
 * `export class ReserveStockV1 extends defineMessage<ReserveStockV1Payload>({...}, reserveStockV1Schema) {}`
 */
export function defineMessage<P>(definition: MessageDefinition, schema: PayloadSchema<P>): MessageClass<P> {
  return class {
    static readonly definition = Object.freeze({ ...definition });
    static readonly schema = schema;
    constructor(readonly payload: P) {}
  };
}

export function definitionOf(message: IntegrationMessage): MessageDefinition {
  return (message.constructor as MessageClass).definition;
}

/** Money in integer minor units with an ISO 4217 currency code. */
export interface MoneyV1 {
  amount: number;
  currency: string;
}

/** A customer: an identity user id, or an id from before accounts (`cus_42`). */
export const customerIdSchema = text(100, { pattern: '^[A-Za-z0-9_.@:-]+$' });

export const moneyV1Schema = object<MoneyV1>({ amount: integer(0), currency: text(3, { pattern: '^[A-Z]{3}$' }) });

export interface OrderLineV1 {
  productId: string;
  quantity: number;
}

export const orderLineV1Schema = object<OrderLineV1>({ productId: uuid(), quantity: integer(1, INT32_MAX) });
